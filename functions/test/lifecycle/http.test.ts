import type { AccountDoc } from '../../src/accounts/model';
import { SYSTEM_ACTOR } from '../../src/accounts/activity-log';
import { getDeps } from '../../src/deps';
import type { LifecycleSummary } from '../../src/lifecycle/process-lifecycle';
import { beginTermination } from '../../src/accounts/changes';
import { callWithKey } from '../apikeys/helpers';
import { verifiedUser } from '../incidents/helpers';
import { rawCall } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { sentTo, waitForMail } from '../support/maildev';
import { DAY } from './helpers';

const local = useLocalFunctions();
const db = () => getDeps().db;

/** The account's termination, dated in the past as if its notice was given 40 days ago. */
async function terminationTookEffect(uid: string): Promise<void> {
  const ref = db().collection('accounts').doc(uid);
  const now = Date.now();
  await db().runTransaction(async (tx) => {
    const account = (await tx.get(ref)).data() as AccountDoc;
    beginTermination(tx, getDeps(), account, {
      kind: 'convenience',
      initiatedBy: 'provider',
      reason: 'Service withdrawn for this plan',
      effectiveAt: new Date(now - 1_000),
      actor: SYSTEM_ACTOR,
    }, new Date(now - 40 * DAY));
  });
}

describe('processLifecycle over HTTP', () => {
  it('when the local scheduler POSTs and a termination has taken effect, then the old ID token and the API key are refused, the content is gone and the customer is mailed', async () => {
    const { uid, email, token } = await verifiedUser(local.client, 'lifecycle-http');
    await local.client.call('getAccount');
    const { key } = await local.client.call<{ key: string }>('createApiKey', { label: 'pos' });
    await db().doc(`accounts/${uid}/stores/s1/products/p1/variants/v1/images/i1`).set({ url: 'https://cdn.example.test/i1.png' });
    await db().doc(`accounts/${uid}/orders/o1`).set({ total: 1200 });
    await terminationTookEffect(uid);
    // Rights ended at the date (clause 3.2(a)(i)): the key is refused before the sweep runs, then revoked by it.
    expect((await callWithKey(local.server.baseUrl, 'getAccount', key)).json?.error?.details?.reason).toBe('API_KEY_ACCOUNT_INACTIVE');

    const answer = await rawCall(`${local.server.baseUrl}/processLifecycle`, { body: '{}' });
    expect(answer.status).toBe(200);
    const summary = answer.json as unknown as LifecycleSummary;
    // The default database is shared with other test files: at least ours was finalised.
    expect(Object.keys(summary).sort()).toEqual(['busy', 'contractsEnded', 'escalated', 'failed', 'finalised', 'remaining', 'reminders', 'resumed', 'stoppedEarly']);
    expect(summary).toMatchObject({ failed: 0, stoppedEarly: false });
    expect(summary.finalised).toBeGreaterThanOrEqual(1);

    const refusedToken = await rawCall(`${local.server.baseUrl}/getAccount`, { body: JSON.stringify({ data: null }), headers: { Authorization: `Bearer ${token}` } });
    expect(refusedToken.status).toBe(401);
    expect(['USER_DISABLED', 'TOKEN_REVOKED']).toContain(refusedToken.json?.error?.details?.reason);
    const refusedKey = await callWithKey(local.server.baseUrl, 'getAccount', key);
    expect(refusedKey.status).toBe(401);
    expect(refusedKey.json?.error?.details?.reason).toBe('API_KEY_REVOKED');

    const account = (await db().doc(`accounts/${uid}`).get()).data() as AccountDoc;
    expect(account.status).toBe('terminated');
    expect(account.termination?.contentDestroyedAt).not.toBeNull();
    expect((await db().doc(`accounts/${uid}`).listCollections()).map((c) => c.id).sort()).toEqual(['activity', 'apiKeys']);
    // The run enqueued the final notice; the mail sweep (the local cron's, every minute) sends it.
    expect((await rawCall(`${local.server.baseUrl}/deliverMail`, { body: '{}' })).status).toBe(200);
    const [mail] = await waitForMail((m) => sentTo(m, email) && m.subject === '您的 OrderPally 內容已銷毀');
    expect(mail?.text).toContain('您的所有內容現已銷毀');
  });

  it('when the function is called with GET, then 405 and nothing runs', async () => {
    const answer = await rawCall(`${local.server.baseUrl}/processLifecycle`, { method: 'GET' });
    expect(answer.status).toBe(405);
    expect(answer.json?.error?.status).toBeDefined();
  });
});
