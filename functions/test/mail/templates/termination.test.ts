import { TERMINATION_KIND_LABELS } from '../../../src/accounts/termination-labels';
import { accountReinstatedMail, accountSuspendedMail } from '../../../src/mail/templates/account-status';
import { breachNoticeMail, breachResolvedMail } from '../../../src/mail/templates/breach';
import type { RenderedMail } from '../../../src/mail/templates/render';
import { terminationCancelledMail, terminationWithdrawnMail } from '../../../src/mail/templates/termination-change';

const AT = new Date('2026-03-05T06:03:07.000Z'); // 14:03:07 on 5 March in Taipei
const EFFECTIVE = new Date('2026-04-14T16:00:00.000Z'); // 00:00 on 15 April in Taipei
const SUPPORT = 'orderpally.service@17.live';
const HOSTILE = '<script>alert("x")</script> & \u202Egnp.exe';

function everyTemplate(locale: 'zh-TW' | 'en', text: string): Record<string, RenderedMail> {
  return {
    'termination.cancelled': terminationCancelledMail({ locale, effectiveAt: EFFECTIVE, cancelledAt: AT, supportEmail: SUPPORT }),
    'termination.withdrawn': terminationWithdrawnMail({ locale, kindLabel: TERMINATION_KIND_LABELS[locale].partner, effectiveAt: EFFECTIVE, withdrawnAt: AT, supportEmail: SUPPORT }),
    'account.suspended': accountSuspendedMail({ locale, reason: text, since: AT, terminationEffectiveAt: EFFECTIVE, supportEmail: SUPPORT }),
    'account.reinstated': accountReinstatedMail({ locale, reinstatedAt: AT, terminationEffectiveAt: null, supportEmail: SUPPORT }),
    'breach.notice': breachNoticeMail({ locale, breachId: 'b1', description: text, notifiedAt: AT, cureBy: EFFECTIVE, escalation: 'notice', noticeDays: 7, supportEmail: SUPPORT }),
    'breach.resolved': breachResolvedMail({ locale, breachId: 'b1', description: text, note: text, resolvedAt: AT, supportEmail: SUPPORT }),
  };
}

describe('account status, termination change and breach mail templates', () => {
  it.each([['zh-TW'], ['en']] as const)('when rendered in %s, then every kind has a one-line subject, a text and an HTML part in that language', (locale) => {
    for (const [kind, mail] of Object.entries(everyTemplate(locale, 'plain text'))) {
      expect({ kind, subject: /[\r\n]/.test(mail.subject), empty: mail.subject.length === 0 }).toEqual({ kind, subject: false, empty: false });
      expect(mail.html).toContain(locale === 'en' ? '<html lang="en">' : '<html lang="zh-Hant-TW">');
      expect(/[\u4e00-\u9fff]/.test(mail.text)).toBe(locale === 'zh-TW');
    }
  });

  it('when user text is hostile, then the HTML escapes it and invisible direction overrides are shown', () => {
    for (const locale of ['zh-TW', 'en'] as const) {
      for (const kind of ['account.suspended', 'breach.notice', 'breach.resolved']) {
        const mail = everyTemplate(locale, HOSTILE)[kind];
        expect(mail?.html).not.toContain('<script>');
        expect(mail?.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;');
        expect(mail?.text).toContain('⟨U+202E⟩gnp.exe');
      }
    }
  });

  it('when a cure period ends at 00:00 Taipei on 15 April, then the notice names 14 April as the last day, in each language', () => {
    expect(everyTemplate('zh-TW', 'x')['breach.notice']?.text).toContain('補正期限：2026年4月14日 當日結束前（台北時間）');
    expect(everyTemplate('en', 'x')['breach.notice']?.subject).toBe('Notice of breach of the OrderPally agreement: please cure it by 14 April 2026');
    expect(everyTemplate('en', 'x')['breach.notice']?.text).toContain("with 7 days' notice");
  });

  it('when a termination is still scheduled, then the suspension notice gives its date in Taipei time', () => {
    expect(everyTemplate('en', 'x')['account.suspended']?.text).toContain('Termination still scheduled for: 15 April 2026, 00:00:00 (Taipei time, UTC+8)');
    expect(everyTemplate('zh-TW', 'x')['account.suspended']?.text).toContain('仍排定的終止時間：2026年4月15日 00:00:00（台北時間 UTC+8）');
  });
});
