// Builds the console into dist/ui, which `vigil server` serves at `/` (and at its SPA routes).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs, so the console also works under --web.route-prefix / a reverse proxy path.
  base: './',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../../dist/ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // The budget that matters is gzipped and enforced by size-report.mjs; Vite's raw-size warning is noise.
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npm run ui:dev` proxies the API to a running server (VIGIL_URL, default :9090).
    proxy: { '/api': process.env.VIGIL_URL ?? 'http://localhost:9090' },
  },
});
