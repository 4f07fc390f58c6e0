import type { Firestore } from 'firebase-admin/firestore';
import { Timestamp } from 'firebase-admin/firestore';
import { getDeps } from '../../src/deps';
import { adminUpdateIncident } from '../../src/incidents/admin-update-incident';
import { checkIncidents, type CheckIncidentsSummary } from '../../src/incidents/check-incidents';
import { reportIncident } from '../../src/incidents/report-incident';
import type { ReportIncidentInput } from '../../src/incidents/schema';
import type { RecordRequestDoc } from '../../src/records/model';
import type { Caller } from '../../src/shared/caller';
import { DAY, depsAt, isolatedDb, MINUTE, plus, T0 } from '../lifecycle/helpers';
import { rawCall, uniqueEmail } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { allMail, sentTo, waitForMail, type CapturedMail } from '../support/maildev';
import { anonymousReport, call, staffUser, uniqueIp } from './helpers';

/**
 * `checkIncidents` (clauses 5.7, 5.8): an incident still without a staff update 24 hours after it
 * arrived alerts support once; a records request unfulfilled after 7 days alerts ops once. The
 * use case runs on a database of its own with a clock the test moves; the last tests go through
 * the scheduled function over HTTP.
 */
const HOUR = 60 * MINUTE;
const SUPPORT = 'orderpally.service@17.live';
const STAFF: Caller = { uid: 'staff-1', email: null, emailVerified: true, signInProvider: 'password', role: 'support', via: 'idToken' };

const run = (deps: ReturnType<typeof depsAt>): Promise<CheckIncidentsSummary> => checkIncidents(deps, { maxMs: 30_000 });

async function report(deps: ReturnType<typeof depsAt>): Promise<string> {
  const { reference } = await reportIncident(deps, anonymousReport() as ReportIncidentInput, { caller: null, ip: uniqueIp() });
  return reference;
}

async function outbox(db: Firestore, kind: string, related: string): Promise<Array<Record<string, unknown>>> {
  return (await db.collection('mail').where('kind', '==', kind).where('related', '==', related).get()).docs.map((d) => d.data());
}

/** A records request as `requestRecords` stores it, made at `at`. */
async function seedRequest(db: Firestore, reference: string, at: Date, status: RecordRequestDoc['status'] = 'received'): Promise<void> {
  const doc: RecordRequestDoc = {
    reference, uid: 'u-records', email: null, locale: 'zh-TW', scope: 'all', from: null, to: null, note: null, status, createdAt: Timestamp.fromDate(at),
  };
  await db.collection('recordRequests').doc(reference).set(doc);
}

describe('checkIncidents with a clock the test moves', () => {
  it('when an incident has had no staff update for 24 hours, then support is alerted once, naming it, and not a minute before', async () => {
    const deps = depsAt(isolatedDb(), T0);
    const reference = await report(deps);

    deps.clock.set(plus(T0, 24 * HOUR - MINUTE));
    expect(await run(deps)).toEqual({ lateIncidents: [], overdueRecordRequests: [], stoppedEarly: false });

    deps.clock.set(plus(T0, 24 * HOUR));
    expect((await run(deps)).lateIncidents).toEqual([reference]);
    const [alert, ...more] = await outbox(deps.db, 'incident.late', `incidents/${reference}`);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ to: [SUPPORT], subject: `[${reference}] 逾時提醒：資安事件通報已超過 24 小時未回覆` });
    expect(alert?.text).toContain(`參考編號：${reference}`);

    deps.clock.set(plus(T0, 30 * HOUR));
    expect((await run(deps)).lateIncidents).toEqual([]);
    expect(await outbox(deps.db, 'incident.late', `incidents/${reference}`)).toHaveLength(1);
    expect((await deps.db.collection('incidents').doc(reference).get()).get('lateAlertedAt')).toEqual(Timestamp.fromDate(plus(T0, 24 * HOUR)));
  });

  it('when staff updated the incident in time, then no alert follows, however long it stays open', async () => {
    const deps = depsAt(isolatedDb(), T0);
    const reference = await report(deps);
    deps.clock.set(plus(T0, 2 * HOUR));
    await adminUpdateIncident(deps, STAFF, { reference, status: 'triaged', note: 'Looking into it.' });

    deps.clock.set(plus(T0, 3 * DAY));
    expect((await run(deps)).lateIncidents).toEqual([]);
    expect(await outbox(deps.db, 'incident.late', `incidents/${reference}`)).toEqual([]);
  });

  it('when two runs overlap, then each late incident is still alerted once', async () => {
    const deps = depsAt(isolatedDb(), T0);
    const references = [await report(deps), await report(deps), await report(deps)];
    deps.clock.set(plus(T0, 25 * HOUR));
    const [a, b] = await Promise.all([run(deps), run(deps)]);
    expect([...(a?.lateIncidents ?? []), ...(b?.lateIncidents ?? [])].sort()).toEqual([...references].sort());
    for (const reference of references) expect(await outbox(deps.db, 'incident.late', `incidents/${reference}`)).toHaveLength(1);
  });

  it('when a records request is still unfulfilled 7 days after it was made, then ops are alerted once; a fulfilled one never', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, T0, { OPS_EMAIL: 'ops@example.test' });
    await seedRequest(db, 'REC-2026-000001', T0);
    await seedRequest(db, 'REC-2026-000002', T0, 'fulfilled');

    deps.clock.set(plus(T0, 7 * DAY - MINUTE));
    expect((await run(deps)).overdueRecordRequests).toEqual([]);
    deps.clock.set(plus(T0, 7 * DAY));
    expect((await run(deps)).overdueRecordRequests).toEqual(['REC-2026-000001']);
    deps.clock.set(plus(T0, 8 * DAY));
    expect((await run(deps)).overdueRecordRequests).toEqual([]);

    const [alert, ...more] = await outbox(db, 'records.overdue', 'recordRequests/REC-2026-000001');
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ to: ['ops@example.test'], subject: expect.stringContaining('Records request REC-2026-000001 unfulfilled after 7 days') as unknown });
    expect(await outbox(db, 'records.overdue', 'recordRequests/REC-2026-000002')).toEqual([]);
  });

  it('when the run has no time left, then it alerts nothing and says it stopped early', async () => {
    const deps = depsAt(isolatedDb(), T0);
    const reference = await report(deps);
    deps.clock.set(plus(T0, 2 * DAY));
    expect(await checkIncidents(deps, { maxMs: 0 })).toEqual({ lateIncidents: [], overdueRecordRequests: [], stoppedEarly: true });
    expect(await outbox(deps.db, 'incident.late', `incidents/${reference}`)).toEqual([]);
  });
});

describe('checkIncidents over HTTP', () => {
  const local = useLocalFunctions();
  const db = () => getDeps().db;

  /** An incident reported over HTTP whose arrival is moved back by `ms`: the running server's clock is the real one. */
  async function reportedAgo(ms: number): Promise<{ reference: string; contact: string }> {
    const contact = uniqueEmail('late-reporter');
    const answer = await call(local.server.baseUrl, 'reportIncident', anonymousReport(contact));
    const reference = (answer.json?.result as { reference: string }).reference;
    const at = Timestamp.fromMillis(Date.now() - ms);
    await db().collection('incidents').doc(reference).update({ createdAt: at, updatedAt: at });
    return { reference, contact };
  }

  const sweep = async (): Promise<CheckIncidentsSummary> => {
    const answer = await rawCall(`${local.server.baseUrl}/checkIncidents`, { body: '{}' });
    expect(answer.status).toBe(200);
    return answer.json as unknown as CheckIncidentsSummary;
  };

  it('when the scheduler POSTs and an incident has waited 25 hours, then support receives one mail naming it, however often the job runs', async () => {
    const late = await reportedAgo(25 * HOUR);
    const answered = await reportedAgo(25 * HOUR);
    // References repeat across databases (the fixed-clock tests above mail too): a mail is ours by its unique contact address.
    const about = (incident: { reference: string; contact: string }) => (m: CapturedMail) =>
      sentTo(m, SUPPORT) && m.subject === `[${incident.reference}] 逾時提醒：資安事件通報已超過 24 小時未回覆` && m.text.includes(incident.contact);
    const staff = await staffUser(local.client, 'support');
    const update = await call(local.server.baseUrl, 'adminUpdateIncident', { reference: answered.reference, status: 'triaged', note: 'On it.' }, { token: staff.token });
    expect(update.status).toBe(200);

    await sweep();
    await sweep();
    await waitForMail(about(late));
    expect((await allMail()).filter(about(late))).toHaveLength(1);
    expect((await allMail()).filter(about(answered))).toEqual([]);
    expect((await db().collection('incidents').doc(answered.reference).get()).get('lateAlertedAt')).toBeUndefined();
  });

  it('when checkIncidents is called with GET, then 405 and nothing runs', async () => {
    expect((await rawCall(`${local.server.baseUrl}/checkIncidents`, { method: 'GET' })).status).toBe(405);
  });
});
