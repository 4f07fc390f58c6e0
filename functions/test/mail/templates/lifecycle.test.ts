import { TERMINATION_KIND_LABELS } from '../../../src/accounts/termination-labels';
import { contentDestroyedMail, contractReminderMail, terminationReminderMail } from '../../../src/mail/templates/lifecycle';

const SUPPORT = 'orderpally.service@17.live';
const HOSTILE = '<script>alert("x")</script> & \'q\'\u202E';
// 00:00 on 1 April 2026 in Taipei.
const EFFECTIVE = new Date('2026-03-31T16:00:00.000Z');
const NOW = new Date('2026-03-25T02:00:00.000Z');
const BACKUPS = new Date('2026-04-09T16:00:00.000Z');

const reminder = (locale: 'zh-TW' | 'en', overrides: Partial<Parameters<typeof terminationReminderMail>[0]> = {}) =>
  terminationReminderMail({
    locale,
    kindLabel: TERMINATION_KIND_LABELS[locale].cause,
    cancellable: false,
    reason: HOSTILE,
    effectiveAt: EFFECTIVE,
    now: NOW,
    suspended: false,
    backupsGoneBy: BACKUPS,
    supportEmail: SUPPORT,
    ...overrides,
  });

describe('lifecycle mail templates', () => {
  it('when a termination reminder is rendered, then it gives the date, the days left, retrieval (clause 3.2(b)) and destruction (clause 3.2(a)) in each language', () => {
    const zh = reminder('zh-TW');
    expect(zh.subject).toBe('提醒：您的 OrderPally 帳號將於 2026年4月1日 00:00:00（台北時間 UTC+8） 終止');
    expect(zh.text).toContain('帳號將在 7 天後（2026年4月1日 00:00:00（台北時間 UTC+8））終止');
    expect(zh.text).toContain('終止類型：因違約終止');
    expect(zh.text).toContain('第 3.2(b) 條');
    expect(zh.text).toContain('將於 2026年4月10日 00:00:00（台北時間 UTC+8） 前自動刪除');
    const en = reminder('en', { now: new Date('2026-03-31T00:00:00.000Z') });
    expect(en.subject).toBe('Reminder: your OrderPally account will be terminated on 1 April 2026, 00:00:00 (Taipei time, UTC+8)');
    expect(en.text).toContain('will be terminated tomorrow, on 1 April 2026');
    expect(en.text).toContain('Type: termination for cause');
    expect(en.text).toContain('agreement clause 3.2(a)');
    expect(en.text).toContain(`Questions? Contact ${SUPPORT}.`);
  });

  it('when the reason holds markup and invisible characters, then the HTML escapes it and both parts reveal them', () => {
    for (const mail of [reminder('zh-TW'), reminder('en')]) {
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;⟨U+202E⟩');
      expect(mail.text).toContain('⟨U+202E⟩');
    }
  });

  it('when the customer may still cancel, or the account is suspended, then the reminder says so', () => {
    expect(reminder('en', { cancellable: true }).text).toContain('You can cancel the termination in the app');
    const suspended = reminder('zh-TW', { suspended: true });
    expect(suspended.text).toContain('您的帳號目前已停權，暫時無法取回內容');
    expect(suspended.text).not.toContain('exportContent');
  });

  it('when a contract reminder is rendered, then it names the end, clause 3.1(c) and renewal, in each language', () => {
    const ends = new Date('2026-04-30T16:00:00.000Z');
    const zh = contractReminderMail({ locale: 'zh-TW', endsAt: ends, now: NOW, supportEmail: SUPPORT });
    expect(zh.subject).toBe('您的 OrderPally 合約將於 2026年5月1日 00:00:00（台北時間 UTC+8） 到期');
    expect(zh.text).toContain('合約將在 37 天後');
    expect(zh.text).toContain('第 3.1(c) 條');
    const en = contractReminderMail({ locale: 'en', endsAt: ends, now: new Date('2026-04-30T15:00:00.000Z'), supportEmail: SUPPORT });
    expect(en.text).toContain('ends tomorrow, on 1 May 2026');
    expect(en.text).toContain(`contact ${SUPPORT} to renew`);
  });

  it('when the content-destroyed notice is rendered, then it gives the termination, destruction and backup dates in each language', () => {
    const data = { effectiveAt: EFFECTIVE, destroyedAt: new Date('2026-03-31T16:05:00.000Z'), backupsGoneBy: BACKUPS, supportEmail: SUPPORT };
    const zh = contentDestroyedMail({ locale: 'zh-TW', ...data });
    expect(zh.subject).toBe('您的 OrderPally 內容已銷毀');
    expect(zh.text).toContain('內容銷毀：2026年4月1日 00:05:00（台北時間 UTC+8）');
    expect(zh.text).toContain('備份刪除期限：2026年4月10日 00:00:00（台北時間 UTC+8）');
    const en = contentDestroyedMail({ locale: 'en', ...data });
    expect(en.subject).toBe('Your OrderPally content has been destroyed');
    expect(en.text).toContain('Account terminated: 1 April 2026, 00:00:00 (Taipei time, UTC+8)');
    expect(en.text).toContain('Backups deleted by: 10 April 2026, 00:00:00 (Taipei time, UTC+8)');
    expect(en.text).toContain('clause 5.8');
  });
});
