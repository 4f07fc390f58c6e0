import fc from 'fast-check';
import { CATEGORY_LABELS, STATUS_LABELS } from '../../../src/incidents/labels';
import type { IncidentCategory, IncidentReporter } from '../../../src/incidents/model';
import { incidentAckMail } from '../../../src/mail/templates/incident-ack';
import { incidentStatusMail } from '../../../src/mail/templates/incident-status';
import { incidentSupportMail } from '../../../src/mail/templates/incident-support';
import { recordsAckMail } from '../../../src/mail/templates/records-ack';
import { recordsSupportMail } from '../../../src/mail/templates/records-support';
import { escapeHtml } from '../../../src/mail/escape-html';
import { fitSubject, revealInvisible, type RenderedMail } from '../../../src/mail/templates/render';
import { SCOPE_LABELS } from '../../../src/records/labels';
import { formatTaipei, formatTaipeiDate, startOfTaipeiDay, taipeiDate, taipeiYear } from '../../../src/shared/taipei';

// 2026-03-05 06:03:07 UTC = 14:03:07 in Taipei.
const AT = new Date('2026-03-05T06:03:07.000Z');
const SUPPORT = 'orderpally.service@17.live';
const HOSTILE = '<script>alert("x")</script> & \'q\' <img src=x onerror=alert(1)>';

const anonymous: IncidentReporter = { uid: null, email: 'eve@example.test', name: HOSTILE, locale: 'zh-TW', account: null };
const signedIn: IncidentReporter = {
  uid: 'uid-123',
  email: 'mei@example.test',
  name: null,
  locale: 'en',
  account: { email: 'mei@example.test', emailVerified: true, status: 'terminating', signInProvider: 'facebook.com' },
};

/** A category as the support mail takes it: its code and its Traditional Chinese label. */
function category(code: IncidentCategory): { category: string; categoryLabel: string } {
  return { category: code, categoryLabel: CATEGORY_LABELS['zh-TW'][code] };
}

function supportMail(reporter: IncidentReporter, summary = 'Login from abroad', description = 'details'): RenderedMail {
  return incidentSupportMail({ reference: 'INC-2026-000123', ...category('data-exposure'), summary, description, occurredAt: null, reportedAt: AT, reporter });
}

/** Every template, rendered with the same hostile user text wherever user text can go. */
function everyTemplate(text: string): RenderedMail[] {
  return [
    supportMail({ ...anonymous, name: text }, text.slice(0, 200), text),
    supportMail(signedIn, text, text),
    ...(['zh-TW', 'en'] as const).flatMap((locale) => [
      incidentAckMail({ locale, reference: 'INC-2026-000123', categoryLabel: CATEGORY_LABELS[locale].abuse, reportedAt: AT, supportEmail: SUPPORT }),
      incidentStatusMail({ locale, reference: 'INC-2026-000123', statusLabel: STATUS_LABELS[locale].triaged, resolved: false, note: text, updatedAt: AT, supportEmail: SUPPORT }),
      recordsAckMail({ locale, reference: 'REC-2026-000001', scopeLabel: SCOPE_LABELS[locale].all, from: null, to: '2026-03-01', requestedAt: AT, supportEmail: SUPPORT }),
    ]),
    recordsSupportMail({ reference: 'REC-2026-000001', uid: 'u', email: null, accountStatus: 'active', locale: 'en', scope: 'security', scopeLabel: SCOPE_LABELS['zh-TW'].security, from: '2026-01-01', to: null, note: text, requestedAt: AT }),
  ];
}

describe('Asia/Taipei dates', () => {
  it('when it is 31 December 16:00 UTC, then it is already next year in Taipei (references use the Taipei year)', () => {
    expect(taipeiYear(new Date('2025-12-31T15:59:59.999Z'))).toBe(2025);
    expect(taipeiYear(new Date('2025-12-31T16:00:00.000Z'))).toBe(2026);
    expect(taipeiDate(new Date('2025-12-31T16:00:00.000Z'))).toBe('2026-01-01');
  });

  it('when an instant is formatted, then it reads in Taipei time and says so, in each language', () => {
    expect(formatTaipei(AT, 'zh-TW')).toBe('2026年3月5日 14:03:07（台北時間 UTC+8）');
    expect(formatTaipei(AT, 'en')).toBe('5 March 2026, 14:03:07 (Taipei time, UTC+8)');
    expect(formatTaipei(new Date('2026-01-01T15:30:00Z'), 'en')).toBe('1 January 2026, 23:30:00 (Taipei time, UTC+8)');
  });

  it('when a calendar date is formatted or started, then Taipei midnight is 16:00 UTC the day before', () => {
    expect(startOfTaipeiDay('2026-03-05').toISOString()).toBe('2026-03-04T16:00:00.000Z');
    expect(formatTaipeiDate('2026-03-05', 'zh-TW')).toBe('2026年3月5日');
    expect(formatTaipeiDate('2026-12-31', 'en')).toBe('31 December 2026');
  });
});

describe('escaping', () => {
  it('when text has HTML metacharacters, then escapeHtml leaves none', () => {
    expect(escapeHtml(HOSTILE)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &lt;img src=x onerror=alert(1)&gt;');
  });

  it('when text hides bidi or zero-width characters, then revealInvisible spells them out', () => {
    expect(revealInvisible('a\u202Eb\u200Bc\u2066d')).toBe('a⟨U+202E⟩b⟨U+200B⟩c⟨U+2066⟩d');
    expect(revealInvisible('中文 and emoji 😀')).toBe('中文 and emoji 😀');
  });

  it('property: whatever user text goes in, no template\'s HTML has a tag or attribute quote that the template did not write, and no subject has a line break', () => {
    const templateTags = new Set(['html', 'head', 'meta', 'title', 'body', 'p', 'table', 'tr', 'th', 'td', 'h3', 'pre']);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', '"', "'", '&', '\r', '\n', '\u2028', 'a', '中', '😀', '\u202E', 's', 'c', 'r', 'i', 'p', 't', '/', '=') , maxLength: 120 }), (text) => {
        for (const mail of everyTemplate(`x${text}`)) {
          const tags = [...mail.html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => (m[1] ?? '').toLowerCase());
          expect(tags.filter((t) => !templateTags.has(t))).toEqual([]);
          expect(mail.subject).not.toMatch(/[\r\n\u2028\u2029]/);
          expect(mail.html).not.toMatch(/[\u202E]/);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('incident to support', () => {
  it('when anonymous, then reference, category, summary, contact, times in Taipei, and the description in full, escaped in HTML', () => {
    const mail = supportMail(anonymous, `Summary ${HOSTILE}`, `line 1\n${HOSTILE}\nline 3`);
    expect(mail.subject).toBe(`[INC-2026-000123] 資安事件通報（資料外洩）：Summary ${HOSTILE}`);
    expect(mail.text).toContain('參考編號：INC-2026-000123');
    expect(mail.text).toContain('類別：資料外洩（data-exposure）');
    expect(mail.text).toContain('通報時間：2026年3月5日 14:03:07（台北時間 UTC+8）');
    expect(mail.text).toContain('事件發生時間：未提供');
    expect(mail.text).toContain('聯絡信箱：eve@example.test');
    expect(mail.text).toContain(`line 1\n${HOSTILE}\nline 3`);
    expect(mail.text).not.toContain('UID');
    expect(mail.html).not.toMatch(/<script|<img/);
    expect(mail.html).toContain(escapeHtml(`line 1\n${HOSTILE}\nline 3`));
    expect(mail.html).toContain(`<td style="padding:4px 12px 4px 0;vertical-align:top;text-align:left;white-space:pre-wrap">${escapeHtml(HOSTILE)}</td>`);
  });

  it('when signed in, then uid, account address, verification, account status and sign-in provider too', () => {
    const { text } = supportMail(signedIn);
    for (const line of ['UID：uid-123', '帳號信箱：mei@example.test', '信箱已驗證：是', '帳號狀態：terminating', '登入方式：facebook.com', '回覆語言：en', '通報人身分：已登入的用戶']) {
      expect(text).toContain(line);
    }
  });

  it('when the summary carries CR/LF, then the subject is one line', () => {
    const mail = supportMail(anonymous, 'hello\r\nBcc: victim@example.test\n\u2028x');
    expect(mail.subject).toBe('[INC-2026-000123] 資安事件通報（資料外洩）：hello Bcc: victim@example.test x');
  });
});

describe('subject length', () => {
  it.each(['vulnerability', 'account-compromise', 'data-exposure', 'abuse', 'other'] as const)(
    'when a %s summary is 200 emoji, then the subject is cut between characters, never inside an emoji',
    (code) => {
      const mail = incidentSupportMail({ reference: 'INC-2026-000123', ...category(code), summary: '🚨'.repeat(200), description: 'd', occurredAt: null, reportedAt: AT, reporter: anonymous });
      expect(mail.subject.length).toBeLessThanOrEqual(250);
      expect(mail.subject).not.toMatch(/\p{Cs}/u);
      expect(mail.subject.endsWith('🚨…')).toBe(true);
    },
  );

  it('when a subject fits, then it is left whole', () => {
    expect(fitSubject('short 😀 subject')).toBe('short 😀 subject');
    expect(fitSubject('x'.repeat(250))).toBe('x'.repeat(250));
    expect(fitSubject('x'.repeat(251))).toBe(`${'x'.repeat(249)}…`);
  });
});

describe('acknowledgement and status mails', () => {
  it.each([
    ['zh-TW', '[INC-2026-000123] 我們已收到您的資安事件通報', ['參考編號：INC-2026-000123', '類別：濫用行為', '24 小時內', SUPPORT]],
    ['en', '[INC-2026-000123] We have received your security incident report', ['Reference: INC-2026-000123', 'Category: Abuse', 'within 24 hours', SUPPORT]],
  ] as const)('when the reporter reads %s, then the ack has the reference and what happens next', (locale, subject, lines) => {
    const mail = incidentAckMail({ locale, reference: 'INC-2026-000123', categoryLabel: CATEGORY_LABELS[locale].abuse, reportedAt: AT, supportEmail: SUPPORT });
    expect(mail.subject).toBe(subject);
    for (const line of lines) expect(mail.text).toContain(line);
    expect(mail.html).toContain(`lang="${locale === 'en' ? 'en' : 'zh-Hant-TW'}"`);
  });

  it.each([
    ['zh-TW', 'resolved', '[INC-2026-000123] 您的資安事件通報有新進度：已解決'],
    ['en', 'triaged', '[INC-2026-000123] Update on your security incident report: Being handled'],
  ] as const)('when support sets the status (%s, %s), then the reporter is told with the note', (locale, status, subject) => {
    const mail = incidentStatusMail({ locale, reference: 'INC-2026-000123', statusLabel: STATUS_LABELS[locale][status], resolved: status === 'resolved', note: `note ${HOSTILE}`, updatedAt: AT, supportEmail: SUPPORT });
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain(`note ${HOSTILE}`);
    expect(mail.html).toContain(escapeHtml(`note ${HOSTILE}`));
  });
});

describe('records mails', () => {
  it('when a customer asks for records, then support sees scope, dates, uid and note, and the customer an acknowledgement in their language', () => {
    const support = recordsSupportMail({ reference: 'REC-2026-000001', uid: 'u1', email: 'c@example.test', accountStatus: 'active', locale: 'zh-TW', scope: 'activity', scopeLabel: SCOPE_LABELS['zh-TW'].activity, from: '2026-01-01', to: '2026-01-31', note: HOSTILE, requestedAt: AT });
    expect(support.subject).toBe('[REC-2026-000001] 記錄調閱申請：帳號活動記錄');
    expect(support.text).toContain('起始日期：2026年1月1日');
    expect(support.html).not.toMatch(/<script|<img/);
    const ack = recordsAckMail({ locale: 'en', reference: 'REC-2026-000001', scopeLabel: SCOPE_LABELS.en.activity, from: '2026-01-01', to: '2026-01-31', requestedAt: AT, supportEmail: SUPPORT });
    expect(ack.subject).toBe('[REC-2026-000001] We have received your records request');
    expect(ack.text).toContain('Period: 1 January 2026 to 31 January 2026 (Taipei time)');
    expect(ack.text).toContain('Received: 5 March 2026, 14:03:07 (Taipei time, UTC+8)');
  });
});
