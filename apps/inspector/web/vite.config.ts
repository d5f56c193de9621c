import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web UI is built into dist/web, next to the compiled server that serves it.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});
