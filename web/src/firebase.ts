import { initializeApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';
import { connectFunctionsEmulator, getFunctions } from 'firebase/functions';
import { createClient, type Client } from './api/client';
import { CONFIG } from './config';

const app = initializeApp(CONFIG.firebase);

/** Firebase Auth of this page (email+password and Facebook only: the blocking functions refuse the rest). */
export const auth: Auth = getAuth(app);

const functions = getFunctions(app, CONFIG.region);
if (CONFIG.emulators) {
  connectAuthEmulator(auth, CONFIG.emulators.auth, { disableWarnings: true });
  connectFunctionsEmulator(functions, CONFIG.emulators.functions.host, CONFIG.emulators.functions.port);
}

/** The URL of a function that is not a callable (exportContent, exportRecords). */
export function functionUrl(name: string): string {
  if (CONFIG.functionsBaseUrl) return `${CONFIG.functionsBaseUrl}/${name}`;
  const emulator = CONFIG.emulators!.functions;
  return `http://${emulator.host}:${emulator.port}/${CONFIG.firebase.projectId}/${CONFIG.region}/${name}`;
}

/** The typed client of this page. */
export const api: Client = createClient(functions, CONFIG.functionsBaseUrl);
