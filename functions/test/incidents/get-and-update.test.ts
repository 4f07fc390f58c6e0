import { getDeps } from '../../src/deps';
import type { IncidentView } from '../../src/incidents/get-incident';
import { uniqueEmail } from '../support/client';
import { sentTo } from '../support/maildev';
import { anonymousReport, call, callError, staffUser, verifiedUser, waitForOutboxMail } from './helpers';
import { useLocalFunctions } from '../support/local';

const local = useLocalFunctions();

const db = () => getDeps().db;
const isoString: unknown = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/** A report from a fresh signed-in user (left signed in on `client`). */
async function signedInReport(): Promise<{ uid: string; email: string; token: string; reference: string }> {
  const user = await verifiedUser(local.client);
  const { reference } = await local.client.call<{ reference: string }>('reportIncident', { ...anonymousReport(), contactEmail: undefined });
  return { ...user, reference };
}

/** An anonymous report from `contact`, and its reference. */
async function anonymousReference(contact: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const answer = await call(local.server.baseUrl, 'reportIncident', anonymousReport(contact, overrides));
  return (answer.json?.result as { reference: string }).reference;
}

async function history(reference: string): Promise<Array<Record<string, unknown>>> {
  const snap = await db().collection('incidents').doc(reference).collection('history').orderBy('at').get();
  return snap.docs.map((d) => d.data());
}

describe('getIncident', () => {
  it('when the reporter asks, then they get reference, status and ISO times, and nothing of what was written', async () => {
    const { reference } = await signedInReport();
    const view = await local.client.call<IncidentView>('getIncident', { reference });
    expect(view).toEqual({ reference, status: 'received', createdAt: isoString, updatedAt: isoString });
  });

  it('when someone else, or anyone for an anonymous report, asks, then the same NOT_FOUND as for a reference never issued', async () => {
    const { reference } = await signedInReport();
    const anonymous = await anonymousReference(uniqueEmail('anon'));
    await verifiedUser(local.client);
    const never = `INC-2000-999999`;
    const errors = await Promise.all([reference, anonymous, never].map((r) => callError(() => local.client.call('getIncident', { reference: r }))));
    for (const [i, error] of errors.entries()) {
      expect(error.code).toBe('functions/not-found');
      expect(error.details).toEqual({ reason: 'INCIDENT_NOT_FOUND', reference: [reference, anonymous, never][i] });
    }
    // No oracle: the messages differ only by the reference quoted back.
    expect(new Set(errors.map((e, i) => e.message.replace([reference, anonymous, never][i] ?? '', 'REF'))).size).toBe(1);
  });

  it('when nobody is signed in, then UNAUTHENTICATED', async () => {
    await local.client.signOut();
    const error = await callError(() => local.client.call('getIncident', { reference: 'INC-2026-000001' }));
    expect(error.code).toBe('functions/unauthenticated');
  });

  it.each([['inc-2026-000001'], ['INC-2026-1'], ['../incidents/INC-2026-000001'], [42]])('when the reference is %p, then INVALID_ARGUMENT', async (reference) => {
    await verifiedUser(local.client);
    const error = await callError(() => local.client.call('getIncident', { reference }));
    expect(error.code).toBe('functions/invalid-argument');
  });

  it('when support asks about any incident, then they get its view', async () => {
    const anonymous = await anonymousReference(uniqueEmail('anon'));
    await staffUser(local.client, 'support');
    await expect(local.client.call<IncidentView>('getIncident', { reference: anonymous })).resolves.toMatchObject({ reference: anonymous, status: 'received' });
  });
});

describe('adminUpdateIncident', () => {
  it('when a customer (even the reporter) calls it, then PERMISSION_DENIED ROLE_REQUIRED and nothing changes', async () => {
    const { reference } = await signedInReport();
    const error = await callError(() => local.client.call('adminUpdateIncident', { reference, status: 'resolved', note: 'fixed it myself' }));
    expect(error.code).toBe('functions/permission-denied');
    expect(error.details?.reason).toBe('ROLE_REQUIRED');
    expect(await history(reference)).toHaveLength(1);
  });

  it('when nobody is signed in, then UNAUTHENTICATED', async () => {
    await local.client.signOut();
    const answer = await call(local.server.baseUrl, 'adminUpdateIncident', { reference: 'INC-2026-000001', status: 'triaged', note: 'x' });
    expect(answer.status).toBe(401);
  });

  it('when support triages a signed-in report, then status, history, the reporter\'s mail in their language and their activity log (actor support) all follow', async () => {
    const reporter = await signedInReport();
    await db().collection('accounts').doc(reporter.uid).update({ locale: 'en' });
    const staff = await staffUser(local.client, 'support');
    const note = 'We are looking at the sign-ins from <unknown> devices & will reset your sessions.';
    const view = await local.client.call<IncidentView>('adminUpdateIncident', { reference: reporter.reference, status: 'triaged', note });
    expect(view).toEqual({ reference: reporter.reference, status: 'triaged', createdAt: isoString, updatedAt: isoString });

    const stored = (await db().collection('incidents').doc(reporter.reference).get()).data();
    expect(stored?.status).toBe('triaged');
    expect(await history(reporter.reference)).toEqual([
      expect.objectContaining({ status: 'received', previousStatus: null, note: null, actor: { uid: reporter.uid, role: 'customer' } }),
      expect.objectContaining({ status: 'triaged', previousStatus: 'received', note, actor: { uid: staff.uid, role: 'support' } }),
    ]);

    const [mail] = await waitForOutboxMail((m) => sentTo(m, reporter.email) && m.subject.includes('Update on your security incident report'), [`incidents/${reporter.reference}`]);
    expect(mail?.subject).toBe(`[${reporter.reference}] Update on your security incident report: Being handled`);
    expect(mail?.text).toContain(note);
    expect(mail?.html).toContain('from &lt;unknown&gt; devices &amp; will');

    const activity = await db().collection('accounts').doc(reporter.uid).collection('activity').where('action', '==', 'incident.updated').get();
    expect(activity.docs.map((d) => d.data())).toEqual([
      expect.objectContaining({ actor: { uid: staff.uid, role: 'support' }, details: { reference: reporter.reference, status: 'triaged', previousStatus: 'received', note } }),
    ]);
  });

  it('when an admin resolves an anonymous report, then the contact gets a Chinese status mail, and resolving again is FAILED_PRECONDITION', async () => {
    const contact = uniqueEmail('anon-update');
    const reference = await anonymousReference(contact);
    await staffUser(local.client, 'admin');
    await local.client.call('adminUpdateIncident', { reference, status: 'resolved', note: '已修正，感謝您的通報。' });
    const [mail] = await waitForOutboxMail((m) => sentTo(m, contact) && m.subject.includes('新進度'), [`incidents/${reference}`]);
    expect(mail?.subject).toBe(`[${reference}] 您的資安事件通報有新進度：已解決`);
    expect(mail?.text).toContain('已修正，感謝您的通報。');

    const again = await callError(() => local.client.call('adminUpdateIncident', { reference, status: 'resolved', note: 'again' }));
    expect(again.code).toBe('functions/failed-precondition');
    expect(again.details).toMatchObject({ reason: 'INCIDENT_TRANSITION_NOT_ALLOWED', status: 'resolved' });
    expect(await history(reference)).toHaveLength(2);

    // Reopening is allowed.
    await expect(local.client.call('adminUpdateIncident', { reference, status: 'triaged', note: 'Reopened: it happened again.' })).resolves.toMatchObject({ status: 'triaged' });
    expect((await history(reference)).map((h) => h.status)).toEqual(['received', 'resolved', 'triaged']);
  });

  it('when the reference was never issued, then NOT_FOUND', async () => {
    await staffUser(local.client, 'support');
    const error = await callError(() => local.client.call('adminUpdateIncident', { reference: 'INC-2000-999998', status: 'triaged', note: 'x' }));
    expect(error.code).toBe('functions/not-found');
  });

  it.each([
    ['an unknown status', { status: 'closed' }],
    ['status received', { status: 'received' }],
    ['no note', { note: undefined }],
    ['an empty note', { note: '  ' }],
    ['a 2,001-character note', { note: 'x'.repeat(2001) }],
    ['an unknown field', { uid: 'someone' }],
  ])('when the update has %s, then INVALID_ARGUMENT and nothing changes', async (_case, overrides) => {
    const contact = uniqueEmail('anon-invalid');
    const reference = await anonymousReference(contact);
    await staffUser(local.client, 'support');
    const error = await callError(() => local.client.call('adminUpdateIncident', { reference, status: 'triaged', note: 'ok', ...overrides }));
    expect(error.code).toBe('functions/invalid-argument');
    expect(await history(reference)).toHaveLength(1);
  });
});
