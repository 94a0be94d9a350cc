import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Build into the folder the API serves (iplayout/api/static/dist, git-ignored).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../iplayout/api/static/dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
});
