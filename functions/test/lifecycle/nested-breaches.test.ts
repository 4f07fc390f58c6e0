// The nested-`breaches` attack (agreement clause 3.1(b)(i): only real breaches escalate), end to end as an attacker would run it: a verified
// customer writes look-alike breaches into their own content through the Firebase JS SDK with their
// own ID token, against the emulator's real rules; then the scheduler POSTs processLifecycle.
import { connectFirestoreEmulator, doc, getFirestore, setLogLevel, Timestamp as ClientTimestamp, writeBatch, type Firestore } from 'firebase/firestore';
import { breachDeadlineRef } from '../../src/breaches/deadlines';
import type { LifecycleSummary } from '../../src/lifecycle/process-lifecycle';
import { rawCall, uniqueEmail, type TestClient } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { allMail, sentTo, waitForMail } from '../support/maildev';
import { accountOf, actionsOf, customer, db, useAdmin } from '../termination/helpers';
import { outboxTo } from '../incidents/helpers';

setLogLevel('silent');

const local = useLocalFunctions();
const admin = useAdmin(local);

const LONG_AGO = ClientTimestamp.fromDate(new Date('1970-01-02T00:00:00Z'));

const connected = new WeakSet<Firestore>();

/** The Firestore client of the app, as the customer's app would have it: it acts as whoever is signed in. */
function clientFirestore(client: TestClient): Firestore {
  const firestore = getFirestore(client.app);
  if (!connected.has(firestore)) {
    const [host = '', port = ''] = (process.env.FIRESTORE_EMULATOR_HOST ?? '').split(':');
    connectFirestoreEmulator(firestore, host, Number(port));
    connected.add(firestore);
  }
  return firestore;
}

/** A parent document shaped like an account, naming `victimUid` and an address the attacker reads. */
function fakeAccount(victimUid: string, email: string, termination: unknown = null) {
  return { uid: victimUid, email, displayName: null, providers: ['password'], emailVerified: true, locale: 'en', status: 'active', termination, suspension: null };
}

/** A breach look-alike whose cure period ended long ago. */
const decoy = (victimUid: string) => ({ description: 'forged', notifiedAt: LONG_AGO, cureBy: LONG_AGO, status: 'open', uid: victimUid, resolvedAt: null, note: null });

/**
 * Writes `docs` (path → data) as the signed-in customer, in batches of 50 sent at once (the
 * emulator checks the rules of a large batch far more slowly); rejects if the rules refuse any.
 */
async function writeAsCustomer(firestore: Firestore, docs: Array<[string, Record<string, unknown>]>): Promise<void> {
  const batches = [];
  for (let i = 0; i < docs.length; i += 50) {
    const batch = writeBatch(firestore);
    for (const [path, data] of docs.slice(i, i + 50)) batch.set(doc(firestore, path), data);
    batches.push(batch.commit());
  }
  await Promise.all(batches);
}

/** A lifecycle run, then the mail sweep that sends what it enqueued, as the local cron runs them. */
async function runLifecycle(): Promise<LifecycleSummary> {
  const answer = await rawCall(`${local.server.baseUrl}/processLifecycle`, { body: '{}' });
  expect(answer.status).toBe(200);
  expect((await rawCall(`${local.server.baseUrl}/deliverMail`, { body: '{}' })).status).toBe(200);
  return answer.json as unknown as LifecycleSummary;
}

async function openDecoys(attackerUid: string, victimUid: string): Promise<number> {
  const snap = await db().collection(`accounts/${attackerUid}/orders/${victimUid}/breaches`).where('status', '==', 'open').count().get();
  return snap.data().count;
}

/**
 * The local server runs on the machine clock, which a test cannot move: the cure period of a
 * breach recorded through adminRecordBreach (at least a day) is made to have ended a minute ago by
 * moving its date, in the breach and in its deadline alike, as time passing would.
 */
async function cureTimeEnds(uid: string, breachId: string): Promise<void> {
  const cureBy = new Date(Date.now() - 60_000);
  await db().doc(`accounts/${uid}/breaches/${breachId}`).update({ cureBy });
  await breachDeadlineRef(db(), uid, breachId).set({ cureBy }, { merge: true });
}

describe('breach look-alikes in customer content', () => {
  const attackers: string[] = [];
  afterAll(async () => {
    // The look-alikes are the attackers' content; removed so the shared database stays small.
    await Promise.all(attackers.map((uid) => db().recursiveDelete(db().doc(`accounts/${uid}`).collection('orders'))));
  });

  it('when a verified customer writes accounts/<self>/orders/<victim>/breaches/* with an old cureBy and their own address, then processLifecycle neither mails them, nor writes into the victim\'s account, nor fails', async () => {
    const victim = await customer(local.client, 'zh-TW', 'victim');
    const attacker = await customer(local.client, 'en', 'attacker');
    const inbox = uniqueEmail('attacker-inbox');
    attackers.push(attacker.uid);
    const base = `accounts/${attacker.uid}/orders`;
    // The rules allow every one of these writes: below the first level, `breaches` is content.
    await writeAsCustomer(clientFirestore(local.client), [
      [`${base}/${victim.uid}`, fakeAccount(victim.uid, inbox)],
      [`${base}/${victim.uid}/breaches/mail-me`, decoy(victim.uid)],
      [`${base}/${victim.uid}-broken`, fakeAccount(victim.uid, inbox, { effectiveAt: 'soon' })],
      [`${base}/${victim.uid}-broken/breaches/throw-me`, decoy(victim.uid)],
      [`${base}/no-parent/breaches/orphan`, decoy(victim.uid)],
    ]);
    // What the sweep does trust, the customer cannot write (deny by default).
    const forged: Array<[string, Record<string, unknown>]> = [[`breachDeadlines/${victim.uid}__forged`, { uid: victim.uid, breachId: 'forged', cureBy: LONG_AGO }]];
    await expect(writeAsCustomer(clientFirestore(local.client), forged)).rejects.toMatchObject({ code: 'permission-denied' });

    const summary = await runLifecycle();

    expect(await outboxTo(inbox)).toEqual([]);
    expect((await allMail()).filter((m) => sentTo(m, inbox))).toEqual([]);
    expect(await actionsOf(victim.uid)).toEqual([]);
    expect(summary.failed).toBe(0);
    expect(await actionsOf(attacker.uid)).toEqual([]);
    expect((await accountOf(victim.uid)).status).toBe('active');
    const decoys = ['orders/' + victim.uid + '/breaches/mail-me', `orders/${victim.uid}-broken/breaches/throw-me`, 'orders/no-parent/breaches/orphan'];
    const statuses = await Promise.all(decoys.map(async (path) => (await db().doc(`accounts/${attacker.uid}/${path}`).get()).get('status') as unknown));
    expect(statuses).toEqual(['open', 'open', 'open']);
    expect((await db().doc(`${base}/${victim.uid}`).get()).get('status')).toBe('active');
  });

  it('when 1,000 look-alikes with an old cureBy sit in customer content, then a real overdue breach recorded by an admin still escalates in one run, and its owner is told', async () => {
    const victim = await customer(local.client, 'en', 'victim');
    const { breachId } = await admin.call<{ breachId: string }>('adminRecordBreach', { uid: victim.uid, description: 'Counterfeit goods', cureDays: 1 });
    const attacker = await customer(local.client, 'en', 'attacker');
    attackers.push(attacker.uid);
    const parent = `accounts/${attacker.uid}/orders/${victim.uid}`;
    const decoys: Array<[string, Record<string, unknown>]> = Array.from({ length: 1_000 }, (_, i) => [`${parent}/breaches/d${String(i).padStart(4, '0')}`, decoy(victim.uid)]);
    // A parent the old sweep choked on, so every look-alike stayed due and was read again each run.
    // The first 100 go through the rules as the customer; the emulator checks rules at about
    // 20–100 ms a document, so the other 900, the same documents at the same path, go in directly.
    await writeAsCustomer(clientFirestore(local.client), [[parent, fakeAccount(victim.uid, uniqueEmail('attacker-inbox'), { effectiveAt: 'soon' })], ...decoys.slice(0, 100)]);
    const writer = db().bulkWriter({ throttling: false });
    for (const [path, data] of decoys.slice(100)) void writer.set(db().doc(path), { ...data, cureBy: LONG_AGO.toDate(), notifiedAt: LONG_AGO.toDate() });
    await writer.close();
    expect(await openDecoys(attacker.uid, victim.uid)).toBe(1_000);
    await cureTimeEnds(victim.uid, breachId);

    const summary = await runLifecycle();

    expect((await db().doc(`accounts/${victim.uid}/breaches/${breachId}`).get()).get('status')).toBe('escalated');
    expect(summary.failed).toBe(0);
    expect(await accountOf(victim.uid)).toMatchObject({ status: 'terminated', termination: { kind: 'cause' } });
    await waitForMail((m) => sentTo(m, victim.email) && m.subject.startsWith('Your OrderPally account'));
    expect(await openDecoys(attacker.uid, victim.uid)).toBe(1_000);
  }, 90_000);
});
