import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REQUEST_COLUMN_SPECS } from './columns.ts';

describe('documented schedule request columns', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it.each(REQUEST_COLUMN_SPECS.map((spec) => [spec.name, spec.required, spec.description] as const))('lists %s in the server README', (name, required, description) => {
    expect(readme).toContain(`| \`${name}\` | ${required ? 'sí' : 'no'} | ${description} |`);
  });
});
