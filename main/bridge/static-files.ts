/** Serves the built renderer: files only, inside the renderer folder, no directory listings. */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  isIndex: boolean;
}

/**
 * Resolves a URL path to a file under `root`, or null when it is missing, a directory or outside
 * the folder (`..`, encoded separators, symlinks pointing elsewhere).
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;

  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const realRoot = await realpath(root).catch(() => null);
  if (realRoot === null) return null;

  const candidate = path.resolve(realRoot, relative);
  if (!isInside(realRoot, candidate)) return null;

  const real = await realpath(candidate).catch(() => null);
  if (real === null || !isInside(realRoot, real)) return null;
  const info = await stat(real);
  if (!info.isFile()) return null;

  return {
    body: await readFile(real),
    contentType: CONTENT_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
    isIndex: path.relative(realRoot, real) === 'index.html',
  };
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
