import { describe, expect, it } from 'vitest';
import { openerCommand } from '../bridge/open-uri.ts';
import { isExternalDialUri } from '../security-policy.ts';
import { DialFailedError } from './adapter.ts';
import { buildDialUri, SoftphoneDialer } from './softphone.ts';

describe('softphone dialer', () => {
  it.each([
    { scheme: 'tel' as const, address: '+573001234567', uri: 'tel:+573001234567' },
    { scheme: 'sip' as const, address: '+576015550000', uri: 'sip:+576015550000' },
  ])('builds $uri', ({ scheme, address, uri }) => {
    expect(buildDialUri(scheme, address)).toBe(uri);
  });

  it.each(['3001234567', '+57 300 123 4567', 'ana@example.com', '+57300;rm -rf', ''])('rejects address %j', (address) => {
    expect(() => buildDialUri('tel', address)).toThrow(DialFailedError);
  });

  it('hands the URI to the opener', async () => {
    const opened: string[] = [];
    const dialer = new SoftphoneDialer({ scheme: 'tel', openUri: async (uri) => void opened.push(uri) });
    await expect(dialer.dial({ attemptId: 'a1', channel: 'voice', address: '+573001234567' })).resolves.toEqual({ uri: 'tel:+573001234567' });
    expect(opened).toEqual(['tel:+573001234567']);
  });

  it('turns an opener failure into a Spanish dial error', async () => {
    const dialer = new SoftphoneDialer({
      scheme: 'tel',
      openUri: async () => {
        throw new Error('no handler');
      },
    });
    await expect(dialer.dial({ attemptId: 'a1', channel: 'voice', address: '+573001234567' })).rejects.toThrow(/softphone/);
  });
});

describe('external URI policy', () => {
  it.each([
    ['tel:+573001234567', true],
    ['sip:+573001234567', true],
    ['tel:3001234567', false],
    ['https://example.com', false],
    ['file:///etc/passwd', false],
    ['tel:+573001234567&calc', false],
    ['sip:+57300@evil', false],
  ])('classifies %s as allowed: %s', (uri, allowed) => {
    expect(isExternalDialUri(uri)).toBe(allowed);
  });

  it.each([
    ['linux', 'xdg-open', ['tel:+573001234567']],
    ['darwin', 'open', ['tel:+573001234567']],
    ['win32', 'cmd', ['/c', 'start', '', 'tel:+573001234567']],
  ] as const)('opens with the desktop opener on %s', (platform, command, args) => {
    expect(openerCommand(platform, 'tel:+573001234567')).toEqual({ command, args });
  });
});
