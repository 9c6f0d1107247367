import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { debtorKey, DOC_TYPES } from './domain.ts';
import { normalizeDebtorId } from './debtor-id.ts';

describe('normalizeDebtorId', () => {
  it.each([
    ['CE-174799', 'CE-174799'],
    ['CE 174799', 'CE-174799'],
    ['ce 174799', 'CE-174799'],
    ['  CE   174799  ', 'CE-174799'],
    ['cc-1.020.304.050', 'CC-1020304050'],
    ['CC1020304050', 'CC-1020304050'],
    ['NIT 900123456-7', 'NIT-900123456-7'],
    ['pa ab12345', 'PA-AB12345'],
    ['TI_1002003004', 'TI-1002003004'],
  ])('reads %j as %j', (typed, stored) => {
    expect(normalizeDebtorId(typed)).toBe(stored);
  });

  it.each([
    ['unknown document type', 'XX-123', 'XX-123'],
    ['a type with no number', ' CE ', 'CE'],
    ['empty text', '   ', ''],
  ])('leaves %s as typed, trimmed', (_name, typed, expected) => {
    expect(normalizeDebtorId(typed)).toBe(expected);
  });

  it('property: the displayed and stored forms of an id read the same', () => {
    const number = fc.stringMatching(/^[0-9A-Z]{4,12}$/);
    fc.assert(
      fc.property(fc.constantFrom(...DOC_TYPES), number, fc.constantFrom(' ', '-', '  ', ''), fc.boolean(), (docType, docNumber, separator, lower) => {
        const stored = debtorKey(docType, docNumber);
        const typed = `${docType}${separator}${docNumber}`;
        expect(normalizeDebtorId(lower ? typed.toLowerCase() : typed)).toBe(stored);
        expect(normalizeDebtorId(stored)).toBe(stored);
      }),
    );
  });
});
