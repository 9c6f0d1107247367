import { describe, expect, it } from 'vitest';
import { decodeSessionSecrets, encodeSessionSecrets } from './secret-store.ts';

const TOKEN = 'tok_3f9A-abcdefghijklmnopqrstuvwxyz0123456789';
const RENEWAL = 'ren_7Kq2-abcdefghijklmnopqrstuvwxyz0123456789';

describe('session secrets encoding', () => {
  it.each([
    { token: TOKEN, renewalToken: RENEWAL },
    { token: TOKEN, renewalToken: null },
  ])('round-trips %j', (secrets) => {
    expect(decodeSessionSecrets(encodeSessionSecrets(secrets))).toEqual(secrets);
  });

  it('reads a bare token of an earlier version without a renewal token', () => {
    expect(decodeSessionSecrets(`${TOKEN}\n`)).toEqual({ token: TOKEN, renewalToken: null });
  });

  it.each([
    ['nothing stored', null],
    ['an empty value', '  '],
    ['broken JSON', '{"v":1,"token":'],
    ['another version', JSON.stringify({ v: 2, token: TOKEN, renewalToken: RENEWAL })],
    ['an empty token', JSON.stringify({ v: 1, token: '', renewalToken: RENEWAL })],
  ])('returns null for %s', (_case, stored) => {
    expect(decodeSessionSecrets(stored)).toBeNull();
  });
});
