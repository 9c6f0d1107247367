import { describe, expect, it } from 'vitest';
import { documentForSearch } from './search-text.ts';

describe('documentForSearch', () => {
  it.each([
    ['1.045.377.293', '1045377293'],
    ['CE 174799', '174799'],
    ['cc:1020304050', '1020304050'],
    ['NIT 900.123.456-7', '9001234567'],
    ['PA AB123456', 'AB123456'],
    ['79 555 111', '79555111'],
  ])('reduces %s to %s', (typed, stored) => {
    expect(documentForSearch(typed)).toBe(stored);
  });

  it.each(['María Peña', 'pena', '', '%', 'CC'])('leaves %s to the name search', (typed) => {
    expect(documentForSearch(typed)).toBeNull();
  });
});
