/**
 * Every test file starts with an empty Firestore database. Files share one emulator, and work that
 * spans the database grows with what earlier files left: a mail sweep waited on thousands of their
 * messages, and the emulator answers `listCollections` and all-descendants queries by scanning
 * every document. Which file follows which changes with jest's ordering (a fresh machine orders
 * by file size), so no file may depend on another's data. Auth users stay: each file makes its own.
 * Installed by jest.config.js (setupFilesAfterEnv). Through the emulator's REST API, so a file that
 * needs no Firestore loads no client for it.
 */
beforeAll(async () => {
  const host = process.env.FIRESTORE_EMULATOR_HOST;
  const project = process.env.GCLOUD_PROJECT;
  if (!host || !project) return;
  const cleared = await fetch(`http://${host}/emulator/v1/projects/${project}/databases/(default)/documents`, { method: 'DELETE' });
  if (!cleared.ok) throw new Error(`clearing the Firestore emulator: HTTP ${cleared.status} ${await cleared.text()}`);
}, 120_000);
