import { describe, expect, it } from 'vitest';
import { readTable } from './read-table.ts';

const csv = (text: string) => new TextEncoder().encode(text);

describe('readTable', () => {
  it.each([
    { case: 'NUL', character: '\u0000', code: 'U+0000' },
    { case: 'escape', character: '\u001B', code: 'U+001B' },
    { case: 'delete', character: '\u007F', code: 'U+007F' },
  ])('names the cell holding a $case character', async ({ character, code }) => {
    const read = await readTable('cartera.csv', csv(`documento;nombre\r\n123;Ana${character}Pérez\r\n`));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems).toEqual([{ line: 2, column: 'nombre', value: null, message: expect.stringContaining(code) as string }]);
  });

  it('keeps tabs and line breaks inside quoted cells', async () => {
    const read = await readTable('cartera.csv', csv('documento;nota\r\n123;"línea 1\r\nlínea\t2"\r\n'));
    expect(read.ok && read.table.rows[0]?.cells[1]).toBe('línea 1\r\nlínea\t2');
  });
});
