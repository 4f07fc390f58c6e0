// Clause 3.2 is enforced in three places that must never disagree: the Firestore rules (a client
// reading and writing its content directly), `exportContent`, and `getAccount().retrieval`, which
// tells the client what to expect (or getAccount's own refusal, for owners it refuses). For every
// account state × billing state, with billing set through the real staff functions, all three are
// asked and compared with the expected outcome written down below. The states include accounts
// whose termination date or contract end has passed with NO processLifecycle run: their rights
// ended at that instant (clauses 3.2(a)(i), 3.1(c)), whatever the stored status still says.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { initializeTestEnvironment, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import { Timestamp } from 'firebase-admin/firestore';
import { doc, getDoc, setDoc, setLogLevel, type Firestore } from 'firebase/firestore';
import { toAccountView } from '../../src/accounts/view';
import { loadDueInvoices, type Retrieval } from '../../src/accounts/due';
import { getDeps } from '../../src/deps';
import { accountDoc, callAs, customer, invoiceData, PASSWORD, resultOf, setStatus, signIn, staff } from '../billing/helpers';
import { uniqueEmail } from '../support/client';
import { exportUrl, get, seed } from '../content/helpers';
import { useLocalFunctions } from '../support/local';

setLogLevel('silent'); // refusals are expected here

const STATES = [
  'active',
  'terminating',
  'terminating, date passed, no sweep',
  'suspended',
  'suspended, date passed, no sweep',
  'active, contract ended, no sweep',
  'terminated',
] as const;
type State = (typeof STATES)[number];
const BILLING = ['no invoices', 'paid', 'unpaid, not yet due', 'unpaid, past due', 'void'] as const;
type Billing = (typeof BILLING)[number];
type Code = 200 | 402 | 403 | 410;

const all = (code: Code): Record<Billing, Code> => Object.fromEntries(BILLING.map((b) => [b, code])) as Record<Billing, Code>;

/** What exportContent answers (200 = the owner may read and write content), by state and billing. */
const EXPECTED: Record<State, Record<Billing, Code>> = {
  // 3.2(b) restricts the notice period only: an active account retrieves even with an amount past due.
  active: all(200),
  terminating: { 'no invoices': 200, paid: 200, 'unpaid, not yet due': 200, 'unpaid, past due': 402, void: 200 },
  'terminating, date passed, no sweep': all(410),
  suspended: all(403),
  'suspended, date passed, no sweep': all(410),
  'active, contract ended, no sweep': all(410),
  terminated: all(410),
};
const REASON: Record<Code, Retrieval['reason']> = { 200: null, 402: 'AMOUNTS_DUE', 403: 'SUSPENDED', 410: 'TERMINATED' };
/** getAccount refuses suspended and terminated owners (DESIGN §5) with these reasons. */
const REFUSAL: Partial<Record<Code, string>> = { 403: 'ACCOUNT_SUSPENDED', 410: 'ACCOUNT_TERMINATED' };
const MINUTE = 60_000;

const local = useLocalFunctions();
let env: RulesTestEnvironment;
let admin: { uid: string; token: string };

beforeAll(async () => {
  const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? '').split(':');
  env = await initializeTestEnvironment({
    projectId: 'demo-orderpally',
    firestore: { host, port: Number(port), rules: readFileSync(path.join(__dirname, '../../../firestore.rules'), 'utf8') },
  });
  admin = await staff('admin');
});
afterAll(async () => {
  await env?.cleanup();
});

/** Puts the customer's invoices in `billing` through adminRecordInvoice / adminRecordPayment / adminVoidInvoice. */
async function bill(uid: string, billing: Billing): Promise<void> {
  const staffCall = (name: string, data: unknown) => resultOf(local.server.baseUrl, name, admin.token, data);
  if (billing === 'no invoices') return;
  const data = invoiceData(uid, billing === 'unpaid, not yet due' ? 10 : -5);
  await staffCall('adminRecordInvoice', data);
  if (billing === 'paid') await staffCall('adminRecordPayment', { uid, invoiceId: data.invoiceId });
  if (billing === 'void') await staffCall('adminVoidInvoice', { uid, invoiceId: data.invoiceId });
}

/** The owner's Firestore client, signed in with email+password (verified unless said otherwise). */
function ownerFirestore(uid: string, email: string, verified = true): Firestore {
  return env
    .authenticatedContext(uid, { email, email_verified: verified, firebase: { sign_in_provider: 'password', identities: { email: [email] } } })
    .firestore() as unknown as Firestore;
}

/** Whether the rules let `attempt` through (false: permission-denied). */
async function allowed(attempt: Promise<unknown>): Promise<boolean> {
  try {
    await attempt;
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'permission-denied') return false;
    throw error;
  }
}

/** The rules' decisions on the owner reading and on the owner changing one of their content documents. */
async function rulesAllow(uid: string, email: string, verified = true): Promise<{ read: boolean; write: boolean }> {
  const firestore = ownerFirestore(uid, email, verified);
  const read = await allowed(getDoc(doc(firestore, `accounts/${uid}/stores/s1`)));
  const write = await allowed(setDoc(doc(firestore, `accounts/${uid}/stores/s1`), { name: 'Shop', open: true }));
  return { read, write };
}

/** What getAccount tells the owner: its retrieval, or (for owners it refuses) its refusal and the stored account's view. */
interface AccountAnswer {
  refusal: string | null;
  retrieval: Retrieval;
}

async function accountAnswer(uid: string, token: string): Promise<AccountAnswer> {
  const answer = await callAs(local.server.baseUrl, 'getAccount', token, null);
  if (answer.status === 200) return { refusal: null, retrieval: (answer.json?.result as { retrieval: Retrieval }).retrieval };
  expect(answer.status).toBe(403);
  const now = new Date();
  const view = toAccountView(await accountDoc(uid), await loadDueInvoices(getDeps().db, uid, now), now);
  return { refusal: String(answer.json?.error?.details?.reason), retrieval: view.retrieval };
}

/**
 * Puts the account in `state` by writing what the staff functions (or time) would leave, without
 * disabling the Auth user, so its token still reaches our checks. "Date passed" is one minute ago:
 * no processLifecycle has run since.
 */
async function putInState(uid: string, state: State): Promise<void> {
  const ref = getDeps().db.collection('accounts').doc(uid);
  const aMinuteAgo = Timestamp.fromMillis(Date.now() - MINUTE);
  switch (state) {
    case 'active':
      return;
    case 'terminating':
    case 'suspended':
    case 'terminated':
      return setStatus(uid, state);
    case 'terminating, date passed, no sweep':
    case 'suspended, date passed, no sweep':
      await setStatus(uid, 'terminating');
      await ref.update({ 'termination.effectiveAt': aMinuteAgo });
      if (state === 'suspended, date passed, no sweep') {
        await ref.update({ status: 'suspended', suspension: { reason: 'test', since: aMinuteAgo, note: '' } });
      }
      return;
    case 'active, contract ended, no sweep':
      await ref.update({ 'contract.endsAt': aMinuteAgo });
      return;
  }
}

interface Observed {
  rules: { read: boolean; write: boolean };
  exportStatus: number;
  account: AccountAnswer;
}

async function observe(state: State, billing: Billing): Promise<Observed> {
  const { uid, email, token } = await customer(local.server.baseUrl, 'agree');
  await seed(uid, [['stores/s1', { name: 'Shop' }]]);
  await bill(uid, billing);
  await putInState(uid, state);
  const [rules, exported, account] = await Promise.all([
    rulesAllow(uid, email),
    get(exportUrl(local.server.baseUrl), { Authorization: `Bearer ${token}` }),
    accountAnswer(uid, token),
  ]);
  return { rules, exportStatus: exported.status, account };
}

describe('retrieval: the rules, exportContent and getAccount agree (clause 3.2)', () => {
  it.each(STATES)('when the account is %s, then all three agree in every billing state, as expected', async (state) => {
    const observed = await Promise.all(BILLING.map(async (billing) => [billing, await observe(state, billing)] as const));
    const table = Object.fromEntries(observed);
    const expected = Object.fromEntries(
      BILLING.map((billing) => {
        const code = EXPECTED[state][billing];
        return [
          billing,
          {
            rules: { read: code === 200, write: code === 200 },
            exportStatus: code,
            account: { refusal: REFUSAL[code] ?? null, retrieval: { allowed: code === 200, reason: REASON[code] } },
          },
        ];
      }),
    );
    expect(table).toEqual(expected);
  }, 60_000);

  it('when an email+password owner has not verified the address, then the rules and exportContent both refuse, and getAccount says emailVerified: false', async () => {
    const email = uniqueEmail('agree-unverified');
    await getDeps().auth.createUser({ email, password: PASSWORD, emailVerified: false });
    const { uid, token } = await signIn(email);
    const account = await resultOf<{ emailVerified: boolean }>(local.server.baseUrl, 'getAccount', token, null);
    await seed(uid, [['stores/s1', { name: 'Shop' }]]);
    const exported = await get(exportUrl(local.server.baseUrl), { Authorization: `Bearer ${token}` });
    // retrieval describes the account (clause 3.2); reading also needs a verified sign-in (5.1/5.2), which emailVerified reports.
    expect({ emailVerified: account.emailVerified, rules: await rulesAllow(uid, email, false), exportStatus: exported.status }).toEqual({
      emailVerified: false,
      rules: { read: false, write: false },
      exportStatus: 400,
    });
  });
});
