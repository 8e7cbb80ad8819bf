import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The server package ships the build: it serves `dist/ui` at `/ui`. */
const outDir = fileURLToPath(new URL('../server/dist/ui', import.meta.url));

export default defineConfig({
  base: '/ui/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir, emptyOutDir: true },
});
