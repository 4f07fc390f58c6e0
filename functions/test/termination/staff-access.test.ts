import { getDeps } from '../../src/deps';
import { addDays, taipeiDate } from '../../src/shared/taipei';
import { createClient, setClaims } from '../support/client';
import { accountFingerprint } from '../support/fingerprint';
import { useLocalFunctions } from '../support/local';
import { call, customer, db, staffUser, useAdmin, verifiedUser } from './helpers';

const local = useLocalFunctions();
const admin = useAdmin(local);

let target: { uid: string; token: string };
let breachId: string;
let supportToken: string;
let unverifiedAdminToken: string;

/** Valid requests about the target account, one per staff function. */
function requests(): Array<[string, Record<string, unknown>]> {
  const uid = target.uid;
  return [
    ['adminGetAccount', { uid }],
    ['adminTerminateAccount', { uid, kind: 'cause', reason: 'Fraud', immediate: true }],
    ['adminSuspendAccount', { uid, reason: 'Fraud', note: 'Ticket 1' }],
    ['adminReinstateAccount', { uid, note: 'Ticket 1', withdrawTermination: true }],
    ['adminRecordBreach', { uid, description: 'Spam' }],
    ['adminResolveBreach', { uid, breachId, note: 'Fixed' }],
    ['adminSetContract', { uid, endsAt: addDays(taipeiDate(new Date()), 60) }],
  ];
}

/** Every document under the target account, its outbox mail, and whether its Auth user is disabled. */
async function fingerprint(): Promise<string> {
  const mail = await db().collection('mail').where('related', '==', `accounts/${target.uid}`).count().get();
  return accountFingerprint(target.uid, `mail:${mail.data().count}`, `disabled:${(await getDeps().auth.getUser(target.uid)).disabled}`);
}

beforeAll(async () => {
  target = await customer(local.client);
  await admin.call('adminTerminateAccount', { uid: target.uid, kind: 'partner', reason: 'Partner exit', effectiveAt: addDays(taipeiDate(new Date()), 20) });
  ({ breachId } = await admin.call<{ breachId: string }>('adminRecordBreach', { uid: target.uid, description: 'Spam' }));
  const other = createClient(local.server.port);
  supportToken = (await staffUser(other, 'support')).token;
  const { uid } = await other.signUp();
  await setClaims(uid, { role: 'admin' });
  unverifiedAdminToken = (await other.auth.currentUser?.getIdToken(true)) ?? '';
  await other.close();
});

describe.each(['adminGetAccount', 'adminTerminateAccount', 'adminSuspendAccount', 'adminReinstateAccount', 'adminRecordBreach', 'adminResolveBreach', 'adminSetContract'])('%s', (name) => {
  const data = () => (requests().find(([n]) => n === name) ?? [name, {}])[1];

  const callers: Array<[string, () => string | undefined, number, string]> = [
    ['the account owner', () => target.token, 403, 'ROLE_REQUIRED'],
    ['an admin whose email is not verified', () => unverifiedAdminToken, 400, 'EMAIL_NOT_VERIFIED'],
    ['nobody signed in', () => undefined, 401, 'NO_CREDENTIALS'],
  ];
  // Support may look (adminGetAccount only reads, and logs the look): see the test below.
  if (name !== 'adminGetAccount') callers.splice(1, 0, ['a support staff member', () => supportToken, 403, 'ROLE_REQUIRED']);
  it.each(callers)('when %s calls it with a valid request, then it is refused and nothing is written', async (_who, token, status, reason) => {
    const before = await fingerprint();
    const answer = await call(local.server.baseUrl, name, data(), { token: token() });
    expect({ status: answer.status, reason: answer.json?.error?.details?.reason }).toEqual({ status, reason });
    expect(await fingerprint()).toBe(before);
  });
});

describe('a customer with a verified address', () => {
  it('when they call an admin function about another account, then ROLE_REQUIRED, not a hint whether the account exists', async () => {
    const other = createClient(local.server.port);
    const { token } = await verifiedUser(other);
    await other.close();
    const answers = await Promise.all(
      [target.uid, 'no-such-account'].map((uid) => call(local.server.baseUrl, 'adminGetAccount', { uid }, { token })),
    );
    expect(answers.map((a) => [a.status, a.json?.error?.details?.reason])).toEqual([
      [403, 'ROLE_REQUIRED'],
      [403, 'ROLE_REQUIRED'],
    ]);
  });
});

describe('adminGetAccount for support', () => {
  it('when support looks at an account, then they see it, and the look is logged on the account under their role', async () => {
    const supportUid = (await getDeps().auth.verifyIdToken(supportToken)).uid;
    const answer = await call(local.server.baseUrl, 'adminGetAccount', { uid: target.uid }, { token: supportToken });
    expect({ status: answer.status, uid: (answer.json?.result as { uid?: string } | undefined)?.uid }).toEqual({ status: 200, uid: target.uid });
    const views = await db().collection('accounts').doc(target.uid).collection('activity').where('action', '==', 'account.viewed').get();
    expect(views.docs.map((d) => d.get('actor') as unknown)).toContainEqual({ uid: supportUid, role: 'support' });
  });
});

describe('the same requests from an admin', () => {
  it('when an admin sends them, then each is accepted: the refusals above were about the caller, not the input', async () => {
    const order = ['adminGetAccount', 'adminSetContract', 'adminRecordBreach', 'adminResolveBreach', 'adminSuspendAccount', 'adminReinstateAccount', 'adminTerminateAccount'];
    const byName = new Map(requests());
    for (const name of order) {
      const answer = await call(local.server.baseUrl, name, byName.get(name), { token: admin.token });
      expect({ name, status: answer.status }).toEqual({ name, status: 200 });
    }
    expect((await db().collection('accounts').doc(target.uid).get()).get('status')).toBe('terminated');
  });
});
