import type { AccountView } from '../../src/accounts/view';
import { uniqueEmail } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { allMail, sentTo } from '../support/maildev';
import { activityActions } from '../support/users';
import { announce, callAs, confirmContact, customer, db, facebookUser, mailFor, myNotices, reasonOf, resultOf, staff } from './helpers';

// Each announcement fans out to every account in the shared emulator database and drains the
// outbox, which earlier test files in the same run may have filled with thousands of accounts.
jest.setTimeout(300_000);

const local = useLocalFunctions();
const base = () => local.server.baseUrl;

let seq = 0;
const tag = (name: string) => `${name} ${process.pid}-${Date.now()}-${++seq}`;

let admin: { uid: string; token: string };
beforeAll(async () => {
  admin = await staff('admin');
});

describe('every notice reaches every account (clauses 2.1, 3.1)', () => {
  it('when a Facebook seller with no email confirms a contact address, then a service notice reaches them by mail and in the inbox; after setLocale(en) the next one is in English in both', async () => {
    const fb = await facebookUser();
    const before = await resultOf<AccountView>(base(), 'getAccount', fb.token, null);
    expect(before).toMatchObject({ email: null, contactEmail: null, needsContactEmail: true, locale: 'zh-TW' });

    const contact = uniqueEmail('fb-contact');
    await confirmContact(base(), fb.token, contact);
    const after = await resultOf<AccountView>(base(), 'getAccount', fb.token, null);
    expect(after).toMatchObject({ contactEmail: contact, needsContactEmail: false });
    expect(await activityActions(fb.uid)).toEqual(expect.arrayContaining(['account.contactEmailRequested', 'account.contactEmailConfirmed']));

    const first = tag('結帳頁面改版');
    await announce(base(), admin.token, { title: first, body: '結帳頁面將改版。' });
    const [mail] = await mailFor(contact, first);
    expect(mail?.subject).toBe(`服務通知：${first}`);
    const inbox = await myNotices(base(), fb.token);
    expect(inbox.find((n) => n.title.includes(first))).toEqual({
      id: expect.any(String) as unknown, kind: 'serviceNotice.announcement', title: `服務通知：${first}`, body: expect.stringContaining('結帳頁面將改版。') as unknown,
      createdAt: expect.stringMatching(/Z$/) as unknown, readAt: null,
    });

    const english = await resultOf<AccountView>(base(), 'setLocale', fb.token, { locale: 'en' });
    expect(english.locale).toBe('en');
    expect(await activityActions(fb.uid)).toContain('account.localeChanged');
    const second = tag('Checkout redesign');
    await announce(base(), admin.token, { title: { 'zh-TW': `中文 ${second}`, en: second }, body: { 'zh-TW': '中文內容', en: 'The checkout changes.' } });
    const [englishMail] = await mailFor(contact, second);
    expect(englishMail?.subject).toBe(`Service notice: ${second}`);
    expect(englishMail?.text).toContain('The checkout changes.');
    expect(englishMail?.text).not.toContain('中文內容');
    const latest = (await myNotices(base(), fb.token)).find((n) => n.title.includes(second));
    expect(latest).toMatchObject({ title: `Service notice: ${second}`, body: expect.stringContaining('The checkout changes.') as unknown });
  });

  it('when a notice is written in both languages, then each account gets its own language, and the public list returns it as written', async () => {
    const zh = await customer(base(), 'bilingual-zh');
    const en = await customer(base(), 'bilingual-en');
    await resultOf(base(), 'setLocale', en.token, { locale: 'en' });
    const title = tag('Maintenance');
    const text = { title: { 'zh-TW': `維護 ${title}`, en: `Maintenance ${title}` }, body: { 'zh-TW': '系統將維護。', en: 'The system will be maintained.' } };
    const noticeId = await announce(base(), admin.token, text);
    expect((await mailFor(zh.email, title))[0]?.subject).toBe(`服務通知：維護 ${title}`);
    expect((await mailFor(en.email, title))[0]?.subject).toBe(`Service notice: Maintenance ${title}`);
    expect((await myNotices(base(), zh.token)).find((n) => n.title.includes(title))?.body).toContain('系統將維護。');
    expect((await myNotices(base(), en.token)).find((n) => n.title.includes(title))?.body).toContain('The system will be maintained.');
    const listed = await resultOf<{ notices: Array<{ noticeId: string; title: unknown; body: unknown }> }>(base(), 'listServiceNotices', '', null);
    expect(listed.notices.find((n) => n.noticeId === noticeId)).toMatchObject(text);
  });

  it('when a bilingual notice lacks a language or breaks the text rules in one, then it is refused and nothing is stored', async () => {
    const title = tag('half');
    for (const bad of [{ title: { 'zh-TW': title } }, { title: { 'zh-TW': title, en: 'a\nb' } }, { body: { 'zh-TW': 'x', en: '' } }, { title: { 'zh-TW': title, en: 'x', fr: 'x' } }]) {
      const refusal = await reasonOf(base(), 'adminAnnounceServiceChange', admin.token, { title, body: 'b', kind: 'change', effectiveAt: '2099-01-01', ...bad });
      expect(refusal).toMatchObject({ status: 400, reason: 'INVALID_ARGUMENT' });
    }
    expect((await db().collection('serviceNotices').where('title.zh-TW', '==', title).get()).size).toBe(0);
  });

  it('when an account has only an unverified sign-in address, then it gets no mail but the notice is in its inbox, and getAccount asks for a contact address', async () => {
    const unverified = uniqueEmail('fb-unverified');
    const fb = await facebookUser({ email: unverified });
    const account = await resultOf<AccountView>(base(), 'getAccount', fb.token, null);
    expect(account).toMatchObject({ email: unverified, emailVerified: false, contactEmail: null, needsContactEmail: true });
    const title = tag('Unverified');
    await announce(base(), admin.token, { title, body: 'b' });
    expect((await myNotices(base(), fb.token)).map((n) => n.title)).toContain(`服務通知：${title}`);
    expect((await allMail()).filter((m) => sentTo(m, unverified))).toEqual([]);
    const stored = await db().collection('inbox').where('uid', '==', fb.uid).get();
    expect(stored.size).toBeGreaterThan(0);
    expect(new Set(stored.docs.map((d) => d.get('mailId') as unknown))).toEqual(new Set([null]));
  });

  it('when staff terminate an account with no address, then the termination notice is in its inbox', async () => {
    const fb = await facebookUser();
    await resultOf(base(), 'getAccount', fb.token, null);
    await resultOf(base(), 'adminTerminateAccount', admin.token, { uid: fb.uid, kind: 'convenience', reason: 'Partner programme ends', effectiveAt: '2099-01-01' });
    const notices = await myNotices(base(), fb.token);
    expect(notices.map((n) => n.kind)).toContain('termination.notice');
  });

  it('when a seller marks notices read, then only their own are marked, the first readAt stays, and others are untouched', async () => {
    const a = await customer(base(), 'reader-a');
    const b = await customer(base(), 'reader-b');
    const title = tag('Read me');
    await announce(base(), admin.token, { title, body: 'b' });
    const aNotice = (await myNotices(base(), a.token)).find((n) => n.title.includes(title));
    const bNotice = (await myNotices(base(), b.token)).find((n) => n.title.includes(title));
    if (!aNotice || !bNotice) throw new Error('both accounts should have a notice');
    expect(await resultOf(base(), 'markNoticesRead', b.token, { ids: [aNotice.id, bNotice.id, 'no-such-notice'] })).toEqual({ marked: 1 });
    const bRead = (await myNotices(base(), b.token)).find((n) => n.id === bNotice.id);
    expect(bRead?.readAt).toMatch(/Z$/);
    expect((await myNotices(base(), a.token)).find((n) => n.id === aNotice.id)?.readAt).toBeNull();
    expect(await resultOf(base(), 'markNoticesRead', b.token, { ids: [bNotice.id] })).toEqual({ marked: 0 });
    expect((await myNotices(base(), b.token)).find((n) => n.id === bNotice.id)?.readAt).toBe(bRead?.readAt);
    const tooMany = await reasonOf(base(), 'markNoticesRead', b.token, { ids: Array.from({ length: 101 }, (_, i) => `n${i}`) });
    expect(tooMany).toMatchObject({ status: 400, reason: 'INVALID_ARGUMENT' });
  });

  it('when the inbox holds more than a page, then pages come newest first and end with a null token', async () => {
    const c = await customer(base(), 'pager');
    await Promise.all([1, 2, 3].map((i) => db().collection('inbox').add({ uid: c.uid, kind: 'test', title: `t${i}`, body: 'b', createdAt: new Date(Date.UTC(2026, 0, i)), readAt: null, mailId: null })));
    const first = await resultOf<{ notices: Array<{ title: string }>; nextPageToken: string | null }>(base(), 'listMyNotices', c.token, { pageSize: 2 });
    expect(first.notices.map((n) => n.title)).toEqual(['t3', 't2']);
    const second = await resultOf<{ notices: Array<{ title: string }>; nextPageToken: string | null }>(base(), 'listMyNotices', c.token, { pageSize: 2, pageToken: first.nextPageToken });
    expect(second).toEqual({ notices: [expect.objectContaining({ title: 't1' })], nextPageToken: null });
    expect(await reasonOf(base(), 'listMyNotices', c.token, { pageToken: 'bogus' })).toMatchObject({ reason: 'BAD_PAGE_TOKEN' });
    expect((await callAs(base(), 'listMyNotices', null, null)).status).toBe(401);
  });
});
