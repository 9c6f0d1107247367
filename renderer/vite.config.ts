/**
 * Standalone build of the renderer (`npm run build:renderer` → `out/renderer`), the same files the
 * Electron build ships and browser mode serves. Relative asset paths (`base: './'`) let one build
 * load from `file://` in Electron and from the local bridge over HTTP.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
export const rendererOutDir = fileURLToPath(new URL('../out/renderer', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir: rendererOutDir,
    emptyOutDir: true,
    // The CSP accepts data: URIs for images only. A font or script inlined that way would be
    // blocked, so every asset stays a file.
    assetsInlineLimit: 0,
    // The polyfill is for browsers without modulepreload; Chromium has it.
    modulePreload: { polyfill: false },
  },
});
