/**
 * Every test file starts with an empty outbox. Files share one Firestore emulator, and a mail sweep
 * (`deliverMail`, the retention cleanup) works on the whole `mail` collection: what an earlier file
 * left there (tens of thousands of sent notices, messages waiting for a retry) would otherwise be
 * the next file's wait, and which file follows which changes with jest's ordering. Installed by
 * jest.config.js (setupFilesAfterEnv). Through the emulator's REST API, so a file that needs no
 * Firestore loads no client for it.
 */
const OWNER = { authorization: 'Bearer owner', 'content-type': 'application/json' };

async function emptyOutbox(host: string, project: string): Promise<void> {
  const documents = `http://${host}/v1/projects/${project}/databases/(default)/documents`;
  for (;;) {
    const listed = await fetch(`${documents}/mail?pageSize=500&mask.fieldPaths=__name__`, { headers: OWNER });
    if (!listed.ok) throw new Error(`listing the outbox: HTTP ${listed.status} ${await listed.text()}`);
    const names = ((await listed.json()) as { documents?: Array<{ name: string }> }).documents?.map((d) => d.name) ?? [];
    if (names.length === 0) return;
    const deleted = await fetch(`${documents}:commit`, { method: 'POST', headers: OWNER, body: JSON.stringify({ writes: names.map((name) => ({ delete: name })) }) });
    if (!deleted.ok) throw new Error(`emptying the outbox: HTTP ${deleted.status} ${await deleted.text()}`);
  }
}

beforeAll(async () => {
  const host = process.env.FIRESTORE_EMULATOR_HOST;
  const project = process.env.GCLOUD_PROJECT;
  if (host && project) await emptyOutbox(host, project);
}, 120_000);
