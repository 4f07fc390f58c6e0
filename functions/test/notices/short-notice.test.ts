import { getDeps } from '../../src/deps';
import { NOTICE_KINDS } from '../../src/notices/model';
import { addDays, oneMonthNoticeDate, taipeiDate } from '../../src/shared/taipei';
import { callError } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { staffUser } from '../incidents/helpers';

const local = useLocalFunctions();
const db = () => getDeps().db;

beforeAll(async () => {
  await staffUser(local.client, 'admin');
});

describe('one calendar month of notice, whatever the kind (clause 2.1)', () => {
  it.each(NOTICE_KINDS)('when a %s is announced for sooner than a month without an exemption, then it is refused with the earliest date and nothing is stored, audited or mailed', async (kind) => {
    const title = `short ${kind} ${process.pid}-${Date.now()}`;
    const effectiveAt = addDays(taipeiDate(new Date()), 10);
    const error = await callError(() => local.client.call('adminAnnounceServiceChange', { title, body: 'Too soon.', kind, effectiveAt }));
    expect(error.code).toBe('functions/invalid-argument');
    expect(error.details?.earliest).toBe(oneMonthNoticeDate(new Date()));
    expect((await db().collection('serviceNotices').where('title', '==', title).get()).size).toBe(0);
    expect((await db().collection('auditLog').where('details.title', '==', title).get()).size).toBe(0);
    expect((await db().collection('mail').where('subject', 'in', [`Service notice: ${title}`, `服務通知：${title}`]).get()).size).toBe(0);
  });
});
