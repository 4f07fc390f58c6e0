// Clause 3.2(b)(ii) is enforced in three places that must never disagree: the Firestore rules (a
// client reading its content directly), `exportContent`, and `getAccount().retrieval`, which tells
// the client what to expect. For every account status × billing state, with billing set through
// the real staff functions, all three are asked and compared with the expected outcome written
// down below.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { initializeTestEnvironment, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import { doc, getDoc, setLogLevel, type Firestore } from 'firebase/firestore';
import { toAccountView } from '../../src/accounts/view';
import { loadDueInvoices, type Retrieval } from '../../src/billing/due';
import { getDeps } from '../../src/deps';
import { accountDoc, callAs, customer, invoiceData, resultOf, setStatus, staff } from '../billing/helpers';
import { exportUrl, get, seed } from '../content/helpers';
import { useLocalFunctions } from '../support/local';

setLogLevel('silent'); // refusals are expected here

const STATUSES = ['active', 'terminating', 'suspended', 'terminated'] as const;
type Status = (typeof STATUSES)[number];
const BILLING = ['no invoices', 'paid', 'unpaid, not yet due', 'unpaid, past due', 'void'] as const;
type Billing = (typeof BILLING)[number];

/** What exportContent answers (200 = retrieval allowed), by status and billing state. */
const EXPECTED: Record<Status, Record<Billing, 200 | 402 | 403 | 410>> = {
  // 3.2(b) restricts the notice period only: an active account retrieves even with an amount past due.
  active: { 'no invoices': 200, paid: 200, 'unpaid, not yet due': 200, 'unpaid, past due': 200, void: 200 },
  terminating: { 'no invoices': 200, paid: 200, 'unpaid, not yet due': 200, 'unpaid, past due': 402, void: 200 },
  suspended: { 'no invoices': 403, paid: 403, 'unpaid, not yet due': 403, 'unpaid, past due': 403, void: 403 },
  terminated: { 'no invoices': 410, paid: 410, 'unpaid, not yet due': 410, 'unpaid, past due': 410, void: 410 },
};
const REASON: Record<number, Retrieval['reason']> = { 200: null, 402: 'AMOUNTS_DUE', 403: 'SUSPENDED', 410: 'TERMINATED' };

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

/** The rules' decision on the owner reading one of their content documents. */
async function rulesAllowRead(uid: string, email: string): Promise<boolean> {
  const firestore = env
    .authenticatedContext(uid, { email, email_verified: true, firebase: { sign_in_provider: 'password', identities: { email: [email] } } })
    .firestore() as unknown as Firestore;
  try {
    await getDoc(doc(firestore, `accounts/${uid}/stores/s1`));
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'permission-denied') return false;
    throw error;
  }
}

/**
 * `getAccount().retrieval` as the owner receives it; suspended and terminated owners may not call
 * getAccount (it refuses them), so for them it is the same view function applied to the stored account.
 */
async function accountRetrieval(uid: string, token: string, status: Status): Promise<Retrieval> {
  if (status === 'active' || status === 'terminating') {
    return (await resultOf<{ retrieval: Retrieval }>(local.server.baseUrl, 'getAccount', token, null)).retrieval;
  }
  const refusal = await callAs(local.server.baseUrl, 'getAccount', token, null);
  expect(refusal.status).toBe(403);
  return toAccountView(await accountDoc(uid), await loadDueInvoices(getDeps().db, uid, new Date())).retrieval;
}

interface Observed {
  rules: boolean;
  exportStatus: number;
  retrieval: Retrieval;
}

async function observe(status: Status, billing: Billing): Promise<Observed> {
  const { uid, email, token } = await customer(local.server.baseUrl, `agree-${status}`);
  await seed(uid, [['stores/s1', { name: 'Shop' }]]);
  await bill(uid, billing);
  await setStatus(uid, status);
  const [rules, exported, retrieval] = await Promise.all([
    rulesAllowRead(uid, email),
    get(exportUrl(local.server.baseUrl), { Authorization: `Bearer ${token}` }),
    accountRetrieval(uid, token, status),
  ]);
  return { rules, exportStatus: exported.status, retrieval };
}

describe('retrieval: the rules, exportContent and getAccount agree (clause 3.2(b))', () => {
  it.each(STATUSES)('when the account is %s, then all three agree in every billing state, as expected', async (status) => {
    const observed = await Promise.all(BILLING.map(async (billing) => [billing, await observe(status, billing)] as const));
    const table = Object.fromEntries(observed);
    const expected = Object.fromEntries(
      BILLING.map((billing) => {
        const code = EXPECTED[status][billing];
        return [billing, { rules: code === 200, exportStatus: code, retrieval: { allowed: code === 200, reason: REASON[code] } }];
      }),
    );
    expect(table).toEqual(expected);
  }, 60_000);
});
