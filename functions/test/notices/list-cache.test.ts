import { Timestamp } from 'firebase-admin/firestore';
import { loadConfig } from '../../src/config';
import { createDeps, getDeps } from '../../src/deps';
import { listServiceNotices, type NoticeView } from '../../src/notices/list';
import { fixedClock } from '../../src/shared/clock';
import { addDays, taipeiDate } from '../../src/shared/taipei';
import { rawCall } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { staffUser } from '../incidents/helpers';

const local = useLocalFunctions();
const db = () => getDeps().db;
const DAY = 86_400_000;

let seq = 0;
const tag = (name: string) => `${name} ${process.pid}-${Date.now()}-${++seq}`;

/** A notice as another instance's adminAnnounceServiceChange stores it: this instance hears nothing of it. */
async function announcedElsewhere(at: Date): Promise<string> {
  const ref = await db().collection('serviceNotices').add({
    title: tag('announced elsewhere'), body: 'b', kind: 'change',
    effectiveAt: Timestamp.fromMillis(at.getTime() + 40 * DAY), announcedAt: Timestamp.fromDate(at), noticeDays: 40,
    exemption: null, justification: null, status: 'announced', withdrawnAt: null, withdrawalReason: null,
  });
  return ref.id;
}

const statusOf = (list: { notices: NoticeView[] }, id: string) => list.notices.find((n) => n.noticeId === id)?.status ?? null;

async function anonymousList(): Promise<{ notices: NoticeView[] }> {
  const response = await rawCall(`${local.server.baseUrl}/listServiceNotices`, { body: JSON.stringify({ data: null }) });
  expect(response.status).toBe(200);
  return response.json?.result as { notices: NoticeView[] };
}

describe('listServiceNotices: one query per instance per NOTICES_CACHE_SECONDS (60 s)', () => {
  it('when many anonymous calls arrive, then one query answers them all until the window ends; a notice announced or withdrawn elsewhere shows in the next window', async () => {
    const start = new Date();
    const clock = fixedClock(start);
    const deps = createDeps(loadConfig(), { clock }); // one instance
    const burst = await Promise.all(Array.from({ length: 25 }, () => listServiceNotices(deps)));
    expect(new Set(burst).size).toBe(1); // calls during the query shared it
    const first = burst[0] as { notices: NoticeView[] };

    const id = await announcedElsewhere(start);
    for (const seconds of [1, 30, 59.999]) {
      clock.set(new Date(start.getTime() + seconds * 1000));
      const again = await listServiceNotices(deps);
      expect(again).toBe(first); // no query: the stored notice is not in it
      expect(statusOf(again, id)).toBeNull();
    }
    clock.set(new Date(start.getTime() + 60_000));
    expect(statusOf(await listServiceNotices(deps), id)).toBe('announced');

    await db().collection('serviceNotices').doc(id).update({ status: 'withdrawn', withdrawnAt: Timestamp.fromDate(start), withdrawalReason: 'Postponed' });
    clock.set(new Date(start.getTime() + 119_000));
    expect(statusOf(await listServiceNotices(deps), id)).toBe('announced');
    clock.set(new Date(start.getTime() + 120_000));
    expect(statusOf(await listServiceNotices(deps), id)).toBe('withdrawn');
  });

  it('when NOTICES_CACHE_SECONDS is set, then that is the window', async () => {
    const start = new Date();
    const clock = fixedClock(start);
    const deps = createDeps(loadConfig({ ...process.env, NOTICES_CACHE_SECONDS: '5' }), { clock });
    await listServiceNotices(deps);
    const id = await announcedElsewhere(start);
    clock.set(new Date(start.getTime() + 4_999));
    expect(statusOf(await listServiceNotices(deps), id)).toBeNull();
    clock.set(new Date(start.getTime() + 5_000));
    expect(statusOf(await listServiceNotices(deps), id)).toBe('announced');
  });

  it('when staff announce and withdraw through this instance, then its list shows it at once; a flood of anonymous HTTP calls is served from memory meanwhile', async () => {
    await staffUser(local.client, 'admin');
    const title = tag('announced here');
    const { noticeId } = await local.client.call<{ noticeId: string }>('adminAnnounceServiceChange', { title, body: 'b', kind: 'change', effectiveAt: addDays(taipeiDate(new Date()), 40) });
    expect(statusOf(await anonymousList(), noticeId)).toBe('announced');

    const elsewhere = await announcedElsewhere(new Date());
    const flood = await Promise.all(Array.from({ length: 20 }, () => anonymousList()));
    for (const list of flood) {
      expect(statusOf(list, noticeId)).toBe('announced');
      expect(statusOf(list, elsewhere)).toBeNull();
    }

    await local.client.call('adminWithdrawServiceNotice', { noticeId, reason: 'Postponed' });
    expect(statusOf(await anonymousList(), noticeId)).toBe('withdrawn');
  });
});
