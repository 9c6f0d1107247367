/**
 * Contact addresses come from creditors' files through the server, so they are hostile input.
 * Whatever the address, the softphone hands the operating system a `tel:` or `sip:` phone URI
 * that the Electron shell accepts, or the dial fails before any URI is opened.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isExternalDialUri } from '../security-policy.ts';
import { DialFailedError } from './adapter.ts';
import { SoftphoneDialer } from './softphone.ts';

const hostileAddress = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom('+', '5', '7', '3', '0', ' ', '&', '|', ';', '\n', '%', '/', ':', 'a') }),
  fc.constantFrom(
    'javascript:alert(1)',
    'file:///etc/passwd',
    'smb://host/share',
    '+573001234567&calc',
    '+573001234567\n',
    '+573001234567 /c calc',
    '+57300123456789012345',
    '\u202E+573001234567',
    '+573001234567',
  ),
);

describe('SoftphoneDialer with hostile addresses', () => {
  it('opens only phone URIs the shell accepts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('tel' as const, 'sip' as const), hostileAddress, async (scheme, address) => {
        const opened: string[] = [];
        const dialer = new SoftphoneDialer({ scheme, openUri: async (uri) => void opened.push(uri) });

        const outcome = await dialer.dial({ attemptId: 'a1', channel: 'voice', address }).then(
          (result) => result,
          (error: unknown) => error,
        );

        if (outcome instanceof Error) {
          expect(outcome).toBeInstanceOf(DialFailedError);
          expect(opened).toEqual([]);
          return;
        }
        expect(opened).toHaveLength(1);
        expect(isExternalDialUri(opened[0]!)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
