import { restoreBackup } from '../../src/backups/restore';
import { runBackup } from '../../src/backups/run-backup';
import type { Deps } from '../../src/deps';
import { deliverMail } from '../../src/mail/deliver-mail';
import { enqueueMail } from '../../src/mail/outbox';
import { anonymousReport, call, verifiedUser } from '../incidents/helpers';
import { uniqueEmail } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { allMail, sentTo, waitForMail } from '../support/maildev';
import { backupDeps, tempBackupDir, useOwnFirestore } from './helpers';

// Locally a backup is restored into the running emulator, in place. Afterwards every function must
// still work: the functions server below talks to this file's own Firestore emulator. Its counters
// start at 1 like the shared emulator's, so support mail goes to an address of this file's own: the
// shared MailDev must not show other files a support mail with "their" reference.
process.env.SUPPORT_EMAIL = `support-restore-${process.pid}@example.test`;
const firestore = useOwnFirestore();
const local = useLocalFunctions();
const localDir = tempBackupDir();
const depsNow = (): Deps => backupDeps({ FIRESTORE_EMULATOR_HOST: firestore.host, BACKUP_LOCAL_DIR: localDir }).deps;

async function reportIncident(): Promise<string> {
  const answer = await call(local.server.baseUrl, 'reportIncident', anonymousReport(uniqueEmail('restored')));
  expect({ status: answer.status, error: answer.json?.error }).toEqual({ status: 200, error: undefined });
  return (answer.json?.result as { reference: string }).reference;
}

const requestRecords = async () => (await local.client.call<{ reference: string }>('requestRecords', { scope: 'activity' })).reference;
const sequence = (reference: string) => Number(reference.slice(-6));

/** Puts a message in the outbox as a use case would, without sending it. */
async function enqueue(deps: Deps, to: string, subject: string): Promise<string> {
  return deps.db.runTransaction(async (tx) => enqueueMail(tx, deps.db, new Date(), { kind: 'test.restore', to, subject, text: subject, html: `<p>${subject}</p>` }));
}

describe('a local restore in place', () => {
  beforeAll(async () => {
    await verifiedUser(local.client, 'restore');
    await local.client.call('getAccount');
  });

  it('when an older backup is restored after newer incidents and record requests, then both still get references, past every existing one', async () => {
    const deps = depsNow();
    const early = [await reportIncident(), await requestRecords()];
    const backup = await runBackup(deps);
    expect(backup.status).toBe('succeeded');
    const late = [await reportIncident(), await requestRecords()];

    const result = await restoreBackup(deps, backup.backupId);
    expect(result).toMatchObject({ target: 'emulator', database: '(default)', inPlace: true });
    // The counters went back with the backup, while the later documents stayed.
    const counter = async (prefix: string) => (await deps.db.collection('counters').doc(`${prefix}-${early[0]?.slice(4, 8) ?? ''}`).get()).get('last') as number;
    expect([await counter('INC'), await counter('REC')]).toEqual(early.map(sequence));
    expect((await deps.db.collection('incidents').doc(late[0] ?? '').get()).exists).toBe(true);

    const next = [await reportIncident(), await requestRecords()];
    expect(next.map(sequence)).toEqual(late.map((r) => sequence(r) + 1));
    // And the counter is past them again: the one after needs no repair.
    expect(sequence(await reportIncident())).toBe(sequence(next[0] ?? '') + 1);
  }, 120_000);

  it('when mail pending in the backup was sent before the restore, then it stays sent and deliverMail does not send it again; mail never sent still goes', async () => {
    const deps = depsNow();
    const sentBefore = uniqueEmail('sent-before');
    const neverSent = uniqueEmail('never-sent');
    const sentId = await enqueue(deps, sentBefore, `Sent before the restore ${sentBefore}`);
    const unsentId = await enqueue(deps, neverSent, `Never sent ${neverSent}`);
    const backup = await runBackup(deps);
    await deps.db.collection('mail').doc(unsentId).update({ nextAttemptAt: new Date(Date.now() + 3_600_000) });
    await deliverMail(deps);
    await waitForMail((m) => sentTo(m, sentBefore));
    expect((await deps.db.collection('mail').doc(sentId).get()).get('status')).toBe('sent');

    const result = await restoreBackup(deps, backup.backupId);
    expect(result.mailKeptSent).toBeGreaterThanOrEqual(1);
    expect(result.mailToSend).toBeGreaterThanOrEqual(1);
    expect((await deps.db.collection('mail').doc(sentId).get()).get('status')).toBe('sent');
    expect((await deps.db.collection('mail').doc(unsentId).get()).get('status')).toBe('pending');

    await deliverMail(deps);
    await waitForMail((m) => sentTo(m, neverSent));
    expect((await allMail()).filter((m) => sentTo(m, sentBefore))).toHaveLength(1);
  }, 120_000);
});
