/**
 * Where this build of the web client talks to, fixed at build time from VITE_* variables: the
 * deploy sets the production values (scripts/deploy), `npm start` and the browser tests the
 * emulators' (scripts/lib/web.mjs).
 */
export interface ClientConfig {
  readonly firebase: { apiKey: string; projectId: string; authDomain: string };
  readonly region: string;
  /** Production: the functions' HTTPS origin (`https://api.example.com`), each function at `/<name>`. */
  readonly functionsBaseUrl: string | null;
  /** Local: the Auth emulator (`http://127.0.0.1:9099`) and the functions server (`127.0.0.1:5001`). */
  readonly emulators: { auth: string; functions: { host: string; port: number } } | null;
}

function readConfig(env: ImportMetaEnv): ClientConfig {
  const projectId = env.VITE_FIREBASE_PROJECT_ID || 'demo-orderpally';
  const functions = env.VITE_FUNCTIONS_EMULATOR ? new URL(`http://${env.VITE_FUNCTIONS_EMULATOR}`) : null;
  const emulators = env.VITE_AUTH_EMULATOR && functions
    ? { auth: `http://${env.VITE_AUTH_EMULATOR}`, functions: { host: functions.hostname, port: Number(functions.port) } }
    : null;
  if (!emulators && !env.VITE_FUNCTIONS_BASE_URL) {
    throw new Error('This build names neither emulators (VITE_AUTH_EMULATOR, VITE_FUNCTIONS_EMULATOR) nor VITE_FUNCTIONS_BASE_URL.');
  }
  return {
    firebase: {
      // The emulators accept any key; production builds receive the project's Web API key.
      apiKey: env.VITE_FIREBASE_API_KEY || 'demo-api-key',
      projectId,
      authDomain: env.VITE_FIREBASE_AUTH_DOMAIN || `${projectId}.firebaseapp.com`,
    },
    region: env.VITE_FUNCTIONS_REGION || 'asia-east1',
    functionsBaseUrl: env.VITE_FUNCTIONS_BASE_URL || null,
    emulators,
  };
}

/** This build's configuration. */
export const CONFIG: ClientConfig = readConfig(import.meta.env);
