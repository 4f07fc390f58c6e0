import { Timestamp } from 'firebase-admin/firestore';
import { loadConfig } from '../../src/config';
import { exportContent } from '../../src/content/export-content';
import { createDeps, getDeps } from '../../src/deps';
import { ClientGoneError } from '../../src/http/authenticated-get';
import { fixedClock } from '../../src/shared/clock';
import { useLocalFunctions } from '../support/local';
import { activity, customer, resultOf, setStatus, staff } from '../billing/helpers';
import { keyOrder, lines, seed } from './helpers';
import type { Caller } from '../../src/shared/caller';
import { AppError } from '../../src/shared/errors';
import { DOWNLOAD_HTTP_CODE_OF, httpCodeOf } from '../../src/http/status';

// The use case called directly, with a sink instead of HTTP: page boundaries, a failing sink, time.
const local = useLocalFunctions();
const ownerCaller = (uid: string): Caller => ({ uid, email: null, emailVerified: true, signInProvider: 'password', role: null, via: 'idToken' });

/** Runs an export into memory, chunk by chunk. */
async function collect(uid: string, options: { pageSize?: number; pageMs?: number } = {}, deps = getDeps()): Promise<{ text: string; chunks: number }> {
  const chunks: string[] = [];
  const stream = await exportContent(deps, ownerCaller(uid), options);
  await stream.pipeTo((chunk) => {
    chunks.push(chunk);
    return undefined;
  });
  return { text: chunks.join(''), chunks: chunks.length };
}

describe('exportContent (use case)', () => {
  it('when the content spans many pages (by count or by time), then the pages join seamlessly: the same lines as in one page, in key order, none twice', async () => {
    const { uid } = await customer(local.server.baseUrl, 'pages');
    const docs: Array<[string, Record<string, unknown>]> = [];
    for (let s = 0; s < 4; s += 1) {
      docs.push([`stores/s${s}`, { s }]);
      for (let p = 0; p < 6; p += 1) {
        docs.push([`stores/s${s}/products/p${p}`, { s, p }]);
        docs.push([`stores/s${s}/products/p${p}/variants/v0`, { s, p, v: 0 }]);
      }
    }
    docs.push(['zones/z1', { z: 1 }], ['a/a1/b/b1/c/c1/d/d1/e/e1', { deep: true }]);
    await seed(uid, docs);
    const whole = await collect(uid);
    for (const pageSize of [1, 7, 52, 53]) {
      const paged = await collect(uid, { pageSize });
      expect({ pageSize, text: paged.text }).toEqual({ pageSize, text: whole.text });
    }
    // A page whose time is up after every document (a slow client): each query is abandoned after
    // one line and the next resumes after it.
    expect((await collect(uid, { pageMs: 0 })).text).toEqual(whole.text);
    const paths = (lines(whole.text) as Array<{ path: string }>).map((l) => l.path);
    expect(paths).toEqual(docs.map(([p]) => `accounts/${uid}/${p}`).sort(keyOrder));
  });

  it('when the content is larger than a chunk, then it is handed on in several chunks of whole lines', async () => {
    const { uid } = await customer(local.server.baseUrl, 'chunks');
    await seed(uid, Array.from({ length: 120 }, (_, i) => [`notes/n${String(i).padStart(3, '0')}`, { text: 'x'.repeat(2000) }] as const));
    const chunks: string[] = [];
    await (await exportContent(getDeps(), ownerCaller(uid))).pipeTo((chunk) => {
      chunks.push(chunk);
      return undefined;
    });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    expect(lines(chunks.join(''))).toHaveLength(120);
  });

  it('when the sink fails part-way, then the export stops with that error and content.exported records it as incomplete', async () => {
    const { uid } = await customer(local.server.baseUrl, 'gone');
    await seed(uid, Array.from({ length: 120 }, (_, i) => [`notes/n${String(i).padStart(3, '0')}`, { text: 'x'.repeat(2000) }] as const));
    let calls = 0;
    const stream = await exportContent(getDeps(), ownerCaller(uid));
    await expect(
      stream.pipeTo(() => {
        calls += 1;
        if (calls === 2) throw new ClientGoneError();
        return undefined;
      }),
    ).rejects.toBeInstanceOf(ClientGoneError);
    const [entry] = await activity(uid, 'content.');
    expect(entry?.details).toMatchObject({ complete: false, via: 'idToken' });
    expect(entry?.details.documents).toBeLessThan(120);
  });

  it('when an open invoice falls due (fixed clock), then a terminating account can export until that instant and not from it on', async () => {
    const { uid } = await customer(local.server.baseUrl, 'falls-due');
    const admin = await staff('admin');
    await seed(uid, [['stores/s1', { name: 'Shop' }]]);
    await resultOf(local.server.baseUrl, 'adminRecordInvoice', admin.token, {
      uid,
      invoiceId: 'INV-falls-due',
      amount: 800,
      currency: 'TWD',
      issuedAt: '2032-01-01T00:00:00+08:00',
      dueAt: '2032-02-01T00:00:00+08:00',
    });
    await setStatus(uid, 'terminating');
    // The termination date lies after the instants this test sets: from it on, rights end (clause 3.2(a)(i)).
    await getDeps().db.doc(`accounts/${uid}`).update({ 'termination.effectiveAt': Timestamp.fromDate(new Date('2032-03-01T00:00:00+08:00')) });
    const clock = fixedClock(new Date('2032-01-31T15:59:59.999Z'));
    const deps = createDeps(loadConfig(), { clock });
    await expect(collect(uid, {}, deps)).resolves.toMatchObject({ chunks: 1 });

    clock.set(new Date('2032-01-31T16:00:00.000Z')); // 2032-02-01 00:00 in Taipei
    const refusal = await exportContent(deps, ownerCaller(uid)).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ reason: 'AMOUNTS_DUE', details: { amountDue: 800 } });
    expect(httpCodeOf(refusal as AppError, DOWNLOAD_HTTP_CODE_OF)).toBe(402);
  });

  it('when the account is active, then an amount past due does not stop the export (clause 3.2(b) speaks of the notice period)', async () => {
    const { uid } = await customer(local.server.baseUrl, 'active-overdue');
    const admin = await staff('admin');
    await seed(uid, [['stores/s1', { name: 'Shop' }]]);
    await resultOf(local.server.baseUrl, 'adminRecordInvoice', admin.token, {
      uid,
      invoiceId: 'INV-active-overdue',
      amount: 800,
      currency: 'TWD',
      issuedAt: '2020-01-01T00:00:00+08:00',
      dueAt: '2020-02-01T00:00:00+08:00',
    });
    await setStatus(uid, 'active');
    await expect(collect(uid)).resolves.toMatchObject({ chunks: 1 });
  });
});
