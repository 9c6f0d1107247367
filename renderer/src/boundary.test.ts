/// <reference types="vite/client" />
/**
 * Checks the renderer's sources for what would break its lockdown: HTML injection, string eval,
 * Node or Electron access, and value imports that would bundle zod under a strict CSP.
 */
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob<string>(['./**/*.ts', './**/*.tsx', '!./**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
const html = import.meta.glob<string>('../index.html', { query: '?raw', import: 'default', eager: true });

// Core modules without zod; anything else from core may be imported for its types only.
const VALUE_IMPORTS_ALLOWED = new Set(['@gestiona/core/catalog-rules', '@gestiona/core/compliance-class-labels', '@gestiona/core/desk-states', '@gestiona/core/format', '@gestiona/core/ipc-channels', '@gestiona/core/script-check']);
const IMPORT_PATTERN = /^import\s+(type\s+)?[^'"]*?from\s+'([^']+)';/gm;

function importsOf(source: string): { typeOnly: boolean; specifier: string }[] {
  return [...source.matchAll(IMPORT_PATTERN)].map((match) => ({ typeOnly: match[1] !== undefined, specifier: match[2]! }));
}

describe('renderer sources', () => {
  const files = Object.entries(sources);

  it('are found by the scan', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(Object.keys(sources)).toContain('./main.tsx');
  });

  it.each(files)('%s renders no raw HTML and evaluates no strings', (_path, source) => {
    expect(source).not.toMatch(/dangerouslySetInnerHTML|innerHTML\s*=|\beval\s*\(|new\s+Function\s*\(/);
  });

  it.each(files)('%s imports nothing from Node or Electron', (_path, source) => {
    const specifiers = importsOf(source).map((entry) => entry.specifier);
    expect(specifiers.filter((specifier) => specifier.startsWith('node:') || specifier === 'electron')).toEqual([]);
  });

  it.each(files)('%s imports values only from zod-free core modules', (_path, source) => {
    const forbidden = importsOf(source).filter(
      (entry) => !entry.typeOnly && entry.specifier.startsWith('@gestiona/core/') && !VALUE_IMPORTS_ALLOWED.has(entry.specifier),
    );
    expect(forbidden).toEqual([]);
  });
});

describe('renderer index.html', () => {
  const page = html['../index.html'] ?? '';

  it('sets the content security policy', () => {
    expect(page).toContain(
      `content="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'"`,
    );
  });

  it('declares Colombian Spanish', () => {
    expect(page).toContain('<html lang="es-CO">');
  });

  it('has no inline script or style', () => {
    const scripts = [...page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(1);
    for (const script of scripts) {
      expect(script[0]).toMatch(/\bsrc="/);
      expect(script[1]!.trim()).toBe('');
    }
    expect(page).not.toMatch(/<style\b|\sstyle="/);
  });
});
