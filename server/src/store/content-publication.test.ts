import { describe, expect, it } from 'vitest';
import { AppError } from '@gestiona/core/result';
import { assertVersionFree, entryHash, publicationInstant } from './content-publication.ts';

describe('content publication', () => {
  it.each([
    { case: 'no earlier publication', earlier: [], throws: false },
    { case: 'the same content again', earlier: [{ sha256: 'a', publishedAt: '2026-12-01T14:00:00.000Z' }], throws: false },
    { case: 'other content under the version', earlier: [{ sha256: 'b', publishedAt: '2026-12-01T14:00:00.000Z' }], throws: true },
  ])('checks the version with $case', ({ earlier, throws }) => {
    const attempt = () => assertVersionFree(earlier, 'a', (publishedOn) => `Ya se publicó el ${publishedOn}.`);
    if (!throws) {
      expect(attempt).not.toThrow();
      return;
    }
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow('Ya se publicó el 01/12/2026 09:00.');
  });

  it.each([
    { case: 'first publication', now: '2026-12-04T15:00:00.000Z', previous: null, expected: '2026-12-04T15:00:00.000Z' },
    { case: 'clock moved forward', now: '2026-12-04T15:00:00.000Z', previous: '2026-12-04T14:00:00.000Z', expected: '2026-12-04T15:00:00.000Z' },
    { case: 'clock went back', now: '2026-12-04T13:00:00.000Z', previous: '2026-12-04T14:00:00-05:00', expected: '2026-12-04T19:00:00.000Z' },
  ])('dates the publication on $case', ({ now, previous, expected }) => {
    const instant = publicationInstant(new Date(now), previous === null ? null : { publishedAt: previous });
    expect(instant.toISOString()).toBe(expected);
  });

  it('hashes the entry JSON', () => {
    expect(entryHash({ type: 'x', payload: 1 })).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash({ type: 'x', payload: 1 })).not.toBe(entryHash({ type: 'x', payload: 2 }));
  });
});
