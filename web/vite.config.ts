import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The web client: static files in dist/ (index.html plus hashed assets), served in production from a
// bucket behind the load balancer and locally by `npm start` (scripts/lib/web.mjs), both with the
// headers of security-headers.mjs. Settings that differ per place come from VITE_* variables at
// build time (src/config.ts).
export default defineConfig({
  plugins: [preact()],
  build: {
    target: 'es2022',
    sourcemap: true,
    // No inline script or style anywhere: the Content-Security-Policy allows only this origin's files.
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
});
