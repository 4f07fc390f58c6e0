/**
 * How one function runs on Cloud Run: what an instance gets, how many requests it takes at once,
 * how many instances at most, and why. The deploy applies it; the README table shows it.
 */
export interface Sizing {
  readonly memory: string;
  /** vCPUs; a whole one, since Cloud Run serves more than one request at a time only with ≥ 1. */
  readonly cpu: number;
  /** The platform ends a request after this long; a scheduled function's time budget derives from it. */
  readonly timeoutSeconds: number;
  /** Requests one instance serves at once (`--concurrency`). */
  readonly concurrency: number;
  /** `--max-instances`: bounds the cost of a flood as much as it bounds the load on Firestore and SMTP. */
  readonly maxInstances: number;
  /** Why these numbers: printed with the plan and in the README. */
  readonly why: string;
}

/** Fixed public pages. */
export const PAGE: Sizing = { memory: '256Mi', cpu: 1, timeoutSeconds: 60, concurrency: 80, maxInstances: 5,
  why: 'fixed text from memory, no I/O: one instance answers many at once' };
/** Signed-in customers' callables. */
export const CUSTOMER: Sizing = { memory: '256Mi', cpu: 1, timeoutSeconds: 60, concurrency: 20, maxInstances: 20,
  why: 'a few Firestore round trips; bodies stop at the 256 KiB edge cap, so 20 at once fit in 256 MiB' };
/** Staff consoles. */
export const STAFF: Sizing = { ...CUSTOMER, concurrency: 10, maxInstances: 5, why: 'a handful of staff use it' };
/** Identity Platform's blocking functions: a public run.app URL with no edge in front. */
export const BLOCKING: Sizing = { memory: '512Mi', cpu: 1, timeoutSeconds: 10, concurrency: 1, maxInstances: 50,
  why: 'public run.app URL with no edge in front: one request at a time survives a 32 MiB body (Cloud Run\'s cap); ' +
    'Identity Platform waits 7 s, so 10 s is plenty; 50 bounds what junk traffic can cost' };
/** Scheduled sweeps over Firestore. */
export const SWEEP: Sizing = { memory: '512Mi', cpu: 1, timeoutSeconds: 120, concurrency: 1, maxInstances: 2,
  why: 'one run at a time per instance; a slow run may overlap the next, which leases make safe' };
/** The backup export and its follow-up. */
export const BACKUP: Sizing = { memory: '256Mi', cpu: 1, timeoutSeconds: 300, concurrency: 1, maxInstances: 1,
  why: 'one at a time: a second concurrent run would start or record a second export' };

/**
 * `base` with `changes`, for a function sized apart from its kind's default; `why` says what
 * differs. A call rather than an object spread in the manifest: the bundler can drop a pure call
 * it does not need, but keeps a spread (which could run a getter), and with it the function's declaration.
 */
export function resized(base: Sizing, changes: Partial<Sizing> & { readonly why: string }): Sizing {
  return { ...base, ...changes };
}
