import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkImport, findViolations, importsOf } from './boundaries.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

describe('process boundaries', () => {
  it('finds no violation in the repository', () => {
    expect(findViolations(repoRoot)).toEqual([]);
  });

  it.each([
    ['core/src/domain.ts', 'node:fs'],
    ['core/src/domain.ts', 'fs'],
    ['core/src/compliance/gate.ts', 'better-sqlite3'],
    ['core/src/domain.ts', '../../main/services/dial.ts'],
    ['renderer/src/App.tsx', 'electron'],
    ['renderer/src/App.tsx', 'node:path'],
    ['renderer/src/App.tsx', 'socket.io-client'],
    ['renderer/src/App.tsx', '../../main/workstation.ts'],
    ['main/services/dial.ts', 'electron'],
  ])('rejects %s importing %s', (file, specifier) => {
    expect(checkImport(file, specifier)).not.toBeNull();
  });

  it.each([
    ['core/src/gate.ts', 'luxon'],
    ['core/src/gate.ts', 'zod'],
    ['core/src/compliance/cli.ts', 'node:fs'],
    ['renderer/src/App.tsx', '@gestiona/core/format'],
    ['main/electron/index.ts', 'electron'],
    ['main/services/dial.ts', 'better-sqlite3'],
  ])('allows %s importing %s', (file, specifier) => {
    expect(checkImport(file, specifier)).toBeNull();
  });

  it('reads static, dynamic and re-export specifiers', () => {
    const source = "import a from 'x';\nexport { b } from 'y';\nconst c = await import('z');\nimport type { D } from 'w';";
    expect(importsOf(source)).toEqual(['x', 'y', 'z', 'w']);
  });
});
