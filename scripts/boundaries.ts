/**
 * Process-boundary check: which module specifiers each part may import. The rules mirror the
 * architecture: core/ is pure, the renderer reaches main only through `window.gestiona`, and only
 * the Electron shell files under main/electron/ (and the preload) import `electron`.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const IO_PACKAGES = ['better-sqlite3', 'better-sqlite3-multiple-ciphers', 'socket.io', 'socket.io-client', 'pg', 'pino', 'fastify', 'electron', 'ioredis', 'redis', 'csv-parse', 'exceljs', 'iconv-lite'];

export interface BoundaryViolation {
  file: string;
  specifier: string;
  rule: string;
}

/** Module specifiers imported or re-exported by a TypeScript source, found by TypeScript's own pre-parser. */
export function importsOf(source: string): string[] {
  const info = ts.preProcessFile(source, true, true);
  return info.importedFiles.map((file) => file.fileName);
}

function isPackage(specifier: string, names: string[]): boolean {
  return names.some((name) => specifier === name || specifier.startsWith(`${name}/`));
}

/** Returns the rule a specifier breaks in the given repository-relative file, or null when it is allowed. */
export function checkImport(file: string, specifier: string): string | null {
  const inCore = file.startsWith('core/src/') && !file.endsWith('.test.ts') && file !== 'core/src/compliance/cli.ts';
  const inRenderer = file.startsWith('renderer/src/') && !file.endsWith('.test.ts');
  const inMain = file.startsWith('main/') && !file.startsWith('main/electron/');

  if (inCore && (NODE_BUILTINS.has(specifier) || isPackage(specifier, IO_PACKAGES))) {
    return 'core/ is pure: no Node built-ins and no I/O packages';
  }
  if (inCore && /(^|\/)(main|server|renderer|preload)\//.test(specifier)) return 'core/ imports nothing from the other parts';
  if (inRenderer && (NODE_BUILTINS.has(specifier) || isPackage(specifier, IO_PACKAGES))) {
    return 'the renderer never imports Node or Electron';
  }
  if (inRenderer && (/(^|\/)(main|server|preload)\//.test(specifier) || specifier.startsWith('@gestiona/server'))) {
    return 'the renderer reaches main only through window.gestiona';
  }
  if (inMain && isPackage(specifier, ['electron'])) return 'only main/electron/ imports electron, so services run under plain Node';
  return null;
}

function sourceFiles(root: string, folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) found.push(path);
    }
  };
  walk(join(root, folder));
  return found;
}

/** Lists every boundary violation in the repository at `root`. */
export function findViolations(root: string): BoundaryViolation[] {
  const violations: BoundaryViolation[] = [];
  for (const folder of ['core/src', 'renderer/src', 'main']) {
    for (const path of sourceFiles(root, folder)) {
      const file = relative(root, path).split('\\').join('/');
      for (const specifier of importsOf(readFileSync(path, 'utf8'))) {
        const rule = checkImport(file, specifier);
        if (rule) violations.push({ file, specifier, rule });
      }
    }
  }
  return violations;
}
