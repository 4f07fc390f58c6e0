// One finaliser in a process of its own, for the crash drill (crash-drill.test.ts): it finalises
// LIFECYCLE_UID in the named database LIFECYCLE_DATABASE with the compiled functions in
// LIFECYCLE_LIB, on a clock CLOCK_OFFSET_MS ahead of the machine's, and prints the result.
// The parent kills it (SIGKILL) at random points; nothing here may rely on finishing.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { LIFECYCLE_LIB: lib, LIFECYCLE_DATABASE: database, LIFECYCLE_UID: uid, CLOCK_OFFSET_MS: offset = '0' } = process.env;
if (!lib || !database || !uid) throw new Error('LIFECYCLE_LIB, LIFECYCLE_DATABASE and LIFECYCLE_UID are required');

const { loadConfig } = require(path.join(lib, 'config.js'));
const { createDeps } = require(path.join(lib, 'deps.js'));
const { finaliseAccount } = require(path.join(lib, 'lifecycle', 'finalise.js'));
const { initializeApp } = require('firebase-admin/app');
const { getFirestore } = require('firebase-admin/firestore');

const config = loadConfig();
const db = getFirestore(initializeApp({ projectId: config.GCLOUD_PROJECT }, 'crash-child'), database);
const clock = { now: () => new Date(Date.now() + Number(offset)) };
const deps = createDeps(config, { db, clock });
const result = await finaliseAccount(deps, uid);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
