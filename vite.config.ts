import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The client builds to dist/client; `vite build --ssr src/server/main.ts` builds the server to dist/server.
export default defineConfig(({ isSsrBuild }) => ({
  plugins: isSsrBuild ? [] : [react()],
  build: isSsrBuild
    ? { target: 'node20', sourcemap: true }
    : { outDir: 'dist/client', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: {
    port: 5173,
    // In development the API runs on :8080 (npm run dev:server); Vite forwards to it.
    proxy: { '/api': 'http://localhost:8080' },
  },
}));
