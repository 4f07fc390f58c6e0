import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Firestore } from 'firebase-admin/firestore';
import { processLifecycle } from '../../src/lifecycle/process-lifecycle';
import { DAY, MINUTE, RECORD_PATHS, accountOf, actionsOf, depsAt, isolatedDb, outboxOf, plus, seedAccount, seedTree, termination, treeOf } from './helpers';

const ROOT = path.join(__dirname, '..', '..', '..');
// The child runs the compiled functions, built here as the cold-start test builds them.
const LIB = path.join(ROOT, 'functions', 'lib');
const CHILD = path.join(__dirname, 'crash-child.mjs');
const STORES = 10;
const ORDERS = 500;
const CONTENT = STORES * ORDERS;
// Each finaliser is the next scheduled run, 5 minutes after the last: the killed one's lease has run out.
const RUN_EVERY = 5 * MINUTE;
const MAX_ATTEMPTS = 10;

type Kill = { afterMs: number } | { below: number };
interface Attempt { plan: Kill; killed: boolean; aborted: boolean; ordersLeft: number; stdout: string }

/** Content documents left: the orders (5,000 at first). */
async function ordersLeft(db: Firestore, uid: string): Promise<number> {
  const counts = await Promise.all(Array.from({ length: STORES }, (_, s) => db.collection(`accounts/${uid}/stores/s${s}/orders`).count().get()));
  return counts.reduce((sum, c) => sum + c.data().count, 0);
}

async function seedOrders(db: Firestore, uid: string): Promise<void> {
  const writer = db.bulkWriter({ throttling: false });
  for (let s = 0; s < STORES; s += 1) {
    void writer.set(db.doc(`accounts/${uid}/stores/s${s}`), { name: `store ${s}` });
    for (let o = 0; o < ORDERS; o += 1) void writer.set(db.doc(`accounts/${uid}/stores/s${s}/orders/o${o}`), { total: o, items: ['a', 'b'] });
  }
  await writer.close();
}

function startFinaliser(database: string, uid: string, offsetMs: number): ChildProcess {
  const env = {
    PATH: process.env.PATH,
    GCLOUD_PROJECT: process.env.GCLOUD_PROJECT,
    FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST,
    FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST,
    METADATA_SERVER_DETECTION: 'none',
    LOG_LEVEL: 'ERROR',
    LIFECYCLE_LIB: LIB,
    LIFECYCLE_DATABASE: database,
    LIFECYCLE_UID: uid,
    CLOCK_OFFSET_MS: String(offsetMs),
  };
  return spawn(process.execPath, [CHILD], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs one finaliser and SIGKILLs it per `plan`: after a time, or once fewer than `below` orders are left (unless it ends first). */
async function attempt(db: Firestore, uid: string, plan: Kill, offsetMs: number): Promise<Attempt> {
  const child = startFinaliser(db.databaseId, uid, offsetMs);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));
  let killed = false;
  if ('afterMs' in plan) {
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, plan.afterMs))]);
  } else {
    while (running && (await ordersLeft(db, uid)) >= plan.below) await new Promise((resolve) => setTimeout(resolve, 40));
  }
  if (running) killed = child.kill('SIGKILL');
  const code = await exited;
  // A SIGKILLed predecessor's transaction keeps its locks until Firestore times them out, so the
  // next finaliser may give up with ABORTED: in production that run counts the account as failed
  // and the next run resumes it, which is what the drill then checks. Any other failure is a bug.
  const aborted = !killed && code !== 0 && /\bABORTED\b/.test(stderr);
  if (!killed && code !== 0 && !aborted) throw new Error(`the finaliser failed (exit ${code}):\n${stderr}`);
  return { plan, killed, aborted, ordersLeft: await ordersLeft(db, uid), stdout };
}

describe('crash drill', () => {
  beforeAll(() => {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  }, 180_000);

  it('when finalisers of an account with 5,000 content documents are killed at random points, then the next processLifecycle completes it exactly once, and other accounts are untouched', async () => {
    const db = isolatedDb();
    // The finalisers run on the machine's clock: the account is due since yesterday, its neighbour
    // (whose uid extends this one) in 60 days, outside every reminder window.
    const now = new Date();
    const { uid } = await seedAccount(db, { status: 'terminating', termination: termination(plus(now, -DAY)) });
    const neighbour = await seedAccount(db, { uid: `${uid}0`, status: 'terminating', termination: termination(plus(now, 60 * DAY)) });
    await Promise.all([seedOrders(db, uid), seedTree(db, uid), seedTree(db, neighbour.uid)]);
    const neighbourTree = await treeOf(db, neighbour.uid);
    const neighbourDoc = (await db.doc(`accounts/${neighbour.uid}`).get()).updateTime;

    // Killed early (before or just after it claims the account), then mid-deletion until three
    // kills landed with content half gone. Each mid-deletion threshold is a random share of what is
    // left, so the drill does not depend on how fast this machine deletes; an attempt that gave up
    // on a dead predecessor's locks (ABORTED) is simply followed by the next.
    const attempts: Attempt[] = [];
    const midway = (): Attempt[] => attempts.filter((a) => a.killed && a.ordersLeft > 0 && a.ordersLeft < CONTENT);
    let offset = 0;
    let plan: Kill = { afterMs: 200 + Math.floor(Math.random() * 1200) };
    while (attempts.length < MAX_ATTEMPTS) {
      // Each finaliser's real start is moved to the machine time of its scheduled run.
      attempts.push(await attempt(db, uid, plan, offset));
      offset += RUN_EVERY;
      const actions = await actionsOf(db, uid);
      expect({ plan, destroyedLogged: actions.includes('content.destroyed'), mails: (await outboxOf(db, uid, 'content.destroyed')).length }).toEqual({ plan, destroyedLogged: false, mails: 0 });
      const left = await ordersLeft(db, uid);
      if (midway().length >= 3 || left === 0) break;
      plan = { below: Math.floor(left * (0.4 + Math.random() * 0.4)) };
    }
    expect({ attempts, midway: midway().length >= 2 }).toEqual({ attempts, midway: true });
    expect((await accountOf(db, uid)).status).toBe('terminated');

    const deps = depsAt(db, new Date(Date.now() + offset));
    const summary = await processLifecycle(deps);
    expect(summary.finalised + summary.resumed).toBe(1);
    expect(summary).toMatchObject({ busy: 0, failed: 0, remaining: 0 });

    expect(await ordersLeft(db, uid)).toBe(0);
    expect(await treeOf(db, uid)).toEqual([...RECORD_PATHS, 'apiKeys/k1'].sort());
    const actions = await actionsOf(db, uid);
    expect(actions.filter((a) => a === 'content.destroyed')).toHaveLength(1);
    expect(actions.filter((a) => a === 'termination.effective')).toHaveLength(1);
    expect(actions.filter((a) => a === 'apiKey.revoked')).toHaveLength(1);
    expect(await outboxOf(db, uid, 'content.destroyed')).toHaveLength(1);
    expect((await accountOf(db, uid)).finaliseLease).toBeNull();

    expect(await treeOf(db, neighbour.uid)).toEqual(neighbourTree);
    expect((await db.doc(`accounts/${neighbour.uid}`).get()).updateTime).toEqual(neighbourDoc);
  }, 240_000);
});
