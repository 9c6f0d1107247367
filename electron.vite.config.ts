/**
 * Electron build (`npm run build`): main → `out/main/index.js` (ESM), the preload →
 * `out/preload/index.cjs`, the renderer → `out/renderer`.
 *
 * The preload is CommonJS with everything inlined because Electron's sandboxed preloads can neither
 * load ES modules nor require packages. Main keeps its npm dependencies external (better-sqlite3 is
 * native and must stay a package) but bundles `@gestiona/core`, whose package exports TypeScript
 * sources that Electron's Node cannot load.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

function fromRoot(path: string): string {
  return fileURLToPath(new URL(path, import.meta.url));
}

export default defineConfig({
  main: {
    build: {
      outDir: fromRoot('out/main'),
      lib: { entry: fromRoot('main/electron/index.ts'), formats: ['es'] },
      rolldownOptions: { output: { entryFileNames: 'index.js' } },
      externalizeDeps: { exclude: ['@gestiona/core'] },
    },
  },
  preload: {
    build: {
      outDir: fromRoot('out/preload'),
      lib: { entry: fromRoot('preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: { output: { entryFileNames: 'index.cjs' } },
      externalizeDeps: false,
    },
  },
  renderer: {
    root: fromRoot('renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: fromRoot('out/renderer'),
      emptyOutDir: true,
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      rolldownOptions: { input: fromRoot('renderer/index.html') },
    },
  },
});
