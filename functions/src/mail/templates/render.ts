import type { Locale } from '../../shared/locale';
import { escapeHtml } from '../escape-html';
import { safeSubject } from '../outbox';

/** A rendered message: what `enqueueMail` takes besides the addresses. */
export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** One labelled line of a message, e.g. `參考編號：INC-2026-000123`. */
export type Field = readonly [label: string, value: string];

/** A titled block of free text, e.g. the reporter's full description. */
export interface Section {
  readonly title: string;
  readonly body: string;
}

/** What a template says; `renderMail` lays it out as text and as HTML. */
export interface MailContent {
  readonly locale: Locale;
  readonly subject: string;
  readonly intro: readonly string[];
  readonly fields: readonly Field[];
  readonly sections?: readonly Section[];
  readonly outro: readonly string[];
}

// Invisible characters that change how the text around them reads (bidi overrides and isolates,
// zero-width characters): shown as ⟨U+202E⟩, so a reader sees what was sent, not what it mimics.
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/** Makes invisible formatting characters in user text visible as `⟨U+XXXX⟩`. */
export function revealInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `⟨U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

// safeSubject cuts at 250 UTF-16 units, which can split an emoji into a lone surrogate (not
// storable, not encodable): subjects are fitted below that at a character boundary first.
const MAX_SUBJECT_UNITS = 250;

/** One line, at most 250 UTF-16 units, cut between characters (with `…`) when longer. */
export function fitSubject(subject: string): string {
  const line = subject.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/\s{2,}/g, ' ').trim();
  if (line.length <= MAX_SUBJECT_UNITS) return safeSubject(line);
  let cut = '';
  for (const char of line) {
    if (cut.length + char.length > MAX_SUBJECT_UNITS - 1) break;
    cut += char;
  }
  return safeSubject(`${cut.trimEnd()}…`);
}

const HTML_LANG: Record<Locale, string> = { 'zh-TW': 'zh-Hant-TW', en: 'en' };
const COLON: Record<Locale, string> = { 'zh-TW': '：', en: ': ' };

/**
 * Lays a message out as plain text and as HTML. Every string that reaches the HTML is escaped
 * here, whoever wrote it, and user text has its invisible characters revealed in both parts; the
 * subject is made one line (CR/LF and controls removed) of at most 250 UTF-16 units.
 */
export function renderMail(content: MailContent): RenderedMail {
  const fields = content.fields.map(([label, value]) => [label, revealInvisible(value)] as const);
  const sections = (content.sections ?? []).map((s) => ({ title: s.title, body: revealInvisible(s.body) }));
  const subject = fitSubject(revealInvisible(content.subject));

  const text = [
    ...content.intro,
    fields.map(([label, value]) => `${label}${COLON[content.locale]}${value}`).join('\n'),
    ...sections.map((s) => `${s.title}\n${'-'.repeat(20)}\n${s.body}`),
    ...content.outro,
  ].join('\n\n');

  const cell = 'padding:4px 12px 4px 0;vertical-align:top;text-align:left';
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${HTML_LANG[content.locale]}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:system-ui,-apple-system,\'Noto Sans TC\',sans-serif;line-height:1.6;color:#222">',
    ...content.intro.map((p) => `<p>${escapeHtml(p)}</p>`),
    '<table style="border-collapse:collapse">',
    ...fields.map(([label, value]) => `<tr><th style="${cell};white-space:nowrap">${escapeHtml(label)}</th><td style="${cell};white-space:pre-wrap">${escapeHtml(value)}</td></tr>`),
    '</table>',
    ...sections.map((s) => `<h3>${escapeHtml(s.title)}</h3>\n<pre style="white-space:pre-wrap;font-family:inherit;background:#f6f6f6;padding:12px">${escapeHtml(s.body)}</pre>`),
    ...content.outro.map((p) => `<p>${escapeHtml(p)}</p>`),
    '</body>',
    '</html>',
  ].join('\n');

  return { subject, text: `${text}\n`, html: `${html}\n` };
}
