// Building and serving the web client (web/) locally: `npm start` and the browser tests. It is
// built as production builds it (vite build: static files, no inline script) and served with the
// same security headers production's backend bucket sends (web/security-headers.mjs).
import path from 'node:path';
import { ROOT } from './stack.mjs';
import { securityHeaders } from '../../web/security-headers.mjs';

const WEB = path.join(ROOT, 'web');

/**
 * Builds the web client against local services into `outDir`.
 * @param {{ authHost: string, functionsHost: string, projectId: string, outDir: string }} options
 */
export async function buildWeb({ authHost, functionsHost, projectId, outDir }) {
  const { build } = await import('vite');
  Object.assign(process.env, {
    VITE_AUTH_EMULATOR: authHost,
    VITE_FUNCTIONS_EMULATOR: functionsHost,
    VITE_FIREBASE_PROJECT_ID: projectId,
  });
  await build({ root: WEB, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

/**
 * Serves a build at http://host:port with the production headers, the page allowed to talk to the
 * local functions and Auth emulator (and to frame the emulator's sign-in handler).
 * @param {{ outDir: string, host: string, port: number, authHost: string, functionsHost: string }} options
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveWeb({ outDir, host, port, authHost, functionsHost }) {
  const { preview } = await import('vite');
  const headers = securityHeaders({ connectSrc: [`http://${functionsHost}`, `http://${authHost}`], frameSrc: [`http://${authHost}`] });
  const server = await preview({ root: WEB, logLevel: 'warn', build: { outDir }, preview: { host, port, strictPort: true, headers, open: false } });
  return { url: `http://${host}:${port}`, close: () => server.close() };
}
