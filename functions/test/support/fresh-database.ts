/**
 * Every test file starts with an empty Firestore database and an empty MailDev inbox. Files share
 * one emulator and one SMTP server, and work that spans the database grows with what earlier files
 * left: a mail sweep waited on thousands of their messages, and the emulator answers
 * `listCollections` and all-descendants queries by scanning every document. The inbox is emptied
 * with the database because references restart with it (REC-…-000001 again): a file must not find
 * an earlier file's mail under its own reference. Which file follows which changes with jest's
 * ordering (a fresh machine orders by file size), so no file may depend on another's data. Auth
 * users stay: each file makes its own. Installed by jest.config.js (setupFilesAfterEnv). Through
 * the emulator's and MailDev's REST APIs, so a file that needs neither loads no client for them.
 */
async function clear(url: string, what: string): Promise<void> {
  const answer = await fetch(url, { method: 'DELETE' });
  if (!answer.ok) throw new Error(`clearing ${what}: HTTP ${answer.status} ${await answer.text()}`);
}

beforeAll(async () => {
  const host = process.env.FIRESTORE_EMULATOR_HOST;
  const project = process.env.GCLOUD_PROJECT;
  const maildev = process.env.MAILDEV_URL;
  await Promise.all([
    host && project ? clear(`http://${host}/emulator/v1/projects/${project}/databases/(default)/documents`, 'the Firestore emulator') : null,
    maildev ? clear(`${maildev}/api/email/all`, 'MailDev') : null,
  ]);
}, 120_000);
