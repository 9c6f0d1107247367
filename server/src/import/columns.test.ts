import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLUMN_SPECS } from './columns.ts';

describe('documented column set', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it.each(COLUMN_SPECS.map((spec) => [spec.name, spec.description] as const))('lists %s in the server README', (name, description) => {
    expect(readme).toContain(`| \`${name}\` |`);
    expect(readme).toContain(description);
  });
});
