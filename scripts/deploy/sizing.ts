import type { FUNCTIONS } from '../../functions/src/index';

/** A function's name in FUNCTIONS. */
export type FunctionName = keyof typeof FUNCTIONS;

/** How one function runs: what an instance gets, how many requests it takes at once, how many instances at most. */
export interface Sizing {
  readonly memory: string;
  /** vCPUs; a whole one, since Cloud Run serves more than one request at a time only with ≥ 1. */
  readonly cpu: number;
  readonly timeoutSeconds: number;
  /** Requests one instance serves at once (`--concurrency`). */
  readonly concurrency: number;
  /** `--max-instances`: bounds the cost of a flood as much as it bounds the load on Firestore and SMTP. */
  readonly maxInstances: number;
  /** Why these numbers: printed with the plan and in the README. */
  readonly why: string;
}

const PAGE: Sizing = { memory: '256Mi', cpu: 1, timeoutSeconds: 60, concurrency: 80, maxInstances: 5,
  why: 'fixed text from memory, no I/O: one instance answers many at once' };
const CUSTOMER: Sizing = { memory: '256Mi', cpu: 1, timeoutSeconds: 60, concurrency: 20, maxInstances: 20,
  why: 'a few Firestore round trips; bodies stop at the 256 KiB edge cap, so 20 at once fit in 256 MiB' };
const STAFF: Sizing = { ...CUSTOMER, concurrency: 10, maxInstances: 5, why: 'a handful of staff use it' };
const BLOCKING: Sizing = { memory: '512Mi', cpu: 1, timeoutSeconds: 10, concurrency: 1, maxInstances: 50,
  why: 'public run.app URL with no edge in front: one request at a time survives a 32 MiB body (Cloud Run\'s cap); ' +
    'Identity Platform waits 7 s, so 10 s is plenty; 50 bounds what junk traffic can cost' };
const SWEEP: Sizing = { memory: '512Mi', cpu: 1, timeoutSeconds: 120, concurrency: 1, maxInstances: 2,
  why: 'one run at a time per instance; a slow run may overlap the next, which leases make safe' };
const BACKUP: Sizing = { memory: '256Mi', cpu: 1, timeoutSeconds: 300, concurrency: 1, maxInstances: 1,
  why: 'one at a time: a second concurrent run would start or record a second export' };

/**
 * Every function's sizing, written out so that a new function cannot be deployed without a
 * deliberate choice (the type requires a row for each name in FUNCTIONS).
 */
export const SIZING = {
  health: PAGE,
  securityTxt: PAGE,
  securityPolicy: PAGE,
  listServiceNotices: { ...CUSTOMER, concurrency: 40, maxInstances: 10,
    why: 'anonymous; answered from a per-instance cache of the notice list, so many at once are cheap' },
  reportIncident: { ...CUSTOMER, concurrency: 10, maxInstances: 10,
    why: 'anonymous; one transaction and two mails per report; throttled at the edge and per IP in the code' },
  getAccount: CUSTOMER,
  listActivity: CUSTOMER,
  createApiKey: CUSTOMER,
  listApiKeys: CUSTOMER,
  revokeApiKey: CUSTOMER,
  getIncident: CUSTOMER,
  requestRecords: CUSTOMER,
  requestTermination: CUSTOMER,
  cancelTermination: CUSTOMER,
  exportContent: { memory: '1Gi', cpu: 1, timeoutSeconds: 540, concurrency: 2, maxInstances: 10,
    why: 'streams a whole account\'s content for up to 9 minutes: two at once per 1 GiB instance' },
  adminGetAccount: STAFF,
  adminTerminateAccount: STAFF,
  adminSuspendAccount: STAFF,
  adminReinstateAccount: STAFF,
  adminRecordBreach: STAFF,
  adminResolveBreach: STAFF,
  adminSetContract: STAFF,
  adminRecordInvoice: STAFF,
  adminRecordPayment: STAFF,
  adminVoidInvoice: STAFF,
  adminUpdateIncident: STAFF,
  adminAnnounceServiceChange: STAFF,
  adminWithdrawServiceNotice: STAFF,
  beforeCreate: BLOCKING,
  beforeSignIn: BLOCKING,
  deliverMail: { ...SWEEP, why: 'every minute; message leases keep two runs from sending one mail, and 2 instances cap SMTP connections' },
  processLifecycle: { ...SWEEP, timeoutSeconds: 540, why: 'every 5 minutes, up to 9 minutes of destruction work; account leases keep runs apart' },
  sendServiceNotices: SWEEP,
  runBackup: BACKUP,
  checkBackups: BACKUP,
} as const satisfies Record<FunctionName, Sizing>;

/**
 * The sizing of `name`.
 * @throws Error for a function without a row: the plan must not guess.
 */
export function sizingOf(name: string): Sizing {
  const sizing = (SIZING as Readonly<Record<string, Sizing | undefined>>)[name];
  if (!sizing) throw new Error(`${name} has no sizing: add a row to SIZING in scripts/deploy/sizing.ts`);
  return sizing;
}
