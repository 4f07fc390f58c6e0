import type { StaffIncidentView } from '../../src/incidents/admin-get-incident';
import { uniqueEmail } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { anonymousReport, call, staffUser, verifiedUser } from './helpers';

/** `adminGetIncident` (clause 5.7): what was reported, by whom, and every status change since. */
const local = useLocalFunctions();
const isoString: unknown = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

let support: { uid: string; token: string };
let admin: { uid: string; token: string };

beforeAll(async () => {
  support = await staffUser(local.client, 'support');
  admin = await staffUser(local.client, 'admin');
});

async function ok<T>(name: string, data: unknown, token?: string): Promise<T> {
  const answer = await call(local.server.baseUrl, name, data, { token });
  if (answer.status !== 200) throw new Error(`${name}: ${answer.text}`);
  return answer.json?.result as T;
}

describe('adminGetIncident', () => {
  it('when an anonymous report was triaged by support and resolved by an admin, then staff see the text as written and each change, by whom', async () => {
    const contactEmail = uniqueEmail('history');
    const description = 'Line one <script>alert(1)</script>\nLine two & more';
    const { reference } = await ok<{ reference: string }>('reportIncident', anonymousReport(contactEmail, { description, contactName: 'Ms Lin', locale: 'en' }));
    await ok('adminUpdateIncident', { reference, status: 'triaged', note: 'Looking at the sign-in logs' }, support.token);
    await ok('adminUpdateIncident', { reference, status: 'resolved', note: 'Sessions revoked' }, admin.token);

    const view = await ok<StaffIncidentView>('adminGetIncident', { reference }, support.token);
    expect(view).toEqual({
      reference,
      status: 'resolved',
      category: 'account-compromise',
      summary: 'Someone signed in to my store from another country',
      description,
      occurredAt: null,
      createdAt: isoString,
      updatedAt: isoString,
      reporter: { uid: null, email: contactEmail, name: 'Ms Lin', locale: 'en', account: null },
      lateAlertedAt: null,
      history: [
        { at: view.createdAt, status: 'received', previousStatus: null, note: null, by: { uid: null, role: 'system' } },
        { at: isoString, status: 'triaged', previousStatus: 'received', note: 'Looking at the sign-in logs', by: { uid: support.uid, role: 'support' } },
        { at: view.updatedAt, status: 'resolved', previousStatus: 'triaged', note: 'Sessions revoked', by: { uid: admin.uid, role: 'admin' } },
      ],
      historyTruncated: false,
    });
  });

  it('when a signed-in seller reported it, then staff see their uid and the account as it was at the time', async () => {
    const seller = await verifiedUser(local.client, 'reporter');
    const { reference } = await ok<{ reference: string }>('reportIncident', anonymousReport(undefined, { contactEmail: null }), seller.token);
    const view = await ok<StaffIncidentView>('adminGetIncident', { reference }, admin.token);
    expect(view.reporter).toMatchObject({ uid: seller.uid, email: seller.email, account: { email: seller.email, emailVerified: true } });
    expect(view.history).toEqual([{ at: view.createdAt, status: 'received', previousStatus: null, note: null, by: { uid: seller.uid, role: 'customer' } }]);
  });

  it('when the reference is unknown, then NOT_FOUND; when it is not a reference, then INVALID_ARGUMENT', async () => {
    for (const [data, status, reason] of [
      [{ reference: 'INC-1999-000001' }, 404, 'INCIDENT_NOT_FOUND'],
      [{ reference: '../mail/x' }, 400, 'INVALID_ARGUMENT'],
      [{}, 400, 'INVALID_ARGUMENT'],
      [null, 400, 'INVALID_ARGUMENT'],
      [{ reference: 'INC-1999-000001', extra: true }, 400, 'INVALID_ARGUMENT'],
    ] as const) {
      const answer = await call(local.server.baseUrl, 'adminGetIncident', data, { token: support.token });
      expect({ data, status: answer.status, reason: answer.json?.error?.details?.reason }).toEqual({ data, status, reason });
    }
  });

  it('when the reporter themselves or nobody asks, then PERMISSION_DENIED or UNAUTHENTICATED, and none of the text leaks', async () => {
    const seller = await verifiedUser(local.client, 'own-report');
    const { reference } = await ok<{ reference: string }>('reportIncident', anonymousReport(undefined, { contactEmail: null, description: 'secret-detail-123' }), seller.token);
    const refused = await call(local.server.baseUrl, 'adminGetIncident', { reference }, { token: seller.token });
    expect({ status: refused.status, reason: refused.json?.error?.details?.reason }).toEqual({ status: 403, reason: 'ROLE_REQUIRED' });
    expect(refused.text).not.toContain('secret-detail-123');
    expect((await call(local.server.baseUrl, 'adminGetIncident', { reference })).status).toBe(401);
  });
});
