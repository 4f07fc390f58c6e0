import { z } from 'zod';
import { MAX_NOTE_CHARS, multiLineText, optional, singleLineText } from '../shared/input';
import { effectiveAtInput } from '../termination/dates';
import { EXEMPTIONS, NOTICE_KINDS } from './model';

/**
 * Staff text under `rule`: a string for both languages, or `{"zh-TW": …, "en": …}` with both
 * present, each under the same rule.
 */
function localized(rule: z.ZodType<string>) {
  return z.union([rule, z.object({ 'zh-TW': rule, en: rule }).strict()], {
    error: 'must be a text, or {"zh-TW": text, "en": text} with both languages',
  });
}

/** `adminAnnounceServiceChange` input (DESIGN §5). */
export const announceInput = z
  .object({
    title: localized(singleLineText(200)),
    body: localized(multiLineText(20_000)),
    kind: z.enum(NOTICE_KINDS),
    effectiveAt: effectiveAtInput,
    exemption: optional(z.enum(EXEMPTIONS, { error: `must be one of ${EXEMPTIONS.join(', ')} (agreement clause 2.1 (a)–(c))` })),
    justification: optional(multiLineText(MAX_NOTE_CHARS)),
    idempotencyKey: optional(z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8–128 characters of letters, digits and . _ : -')),
  })
  .strict()
  .refine((v) => !v.exemption || v.justification, { message: 'is required with an exemption: say why the notice is shorter', path: ['justification'] })
  .refine((v) => v.exemption || !v.justification, { message: 'is only for an exemption', path: ['justification'] });
export type AnnounceInput = z.output<typeof announceInput>;

/** `adminWithdrawServiceNotice` input. */
export const withdrawInput = z
  .object({
    noticeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a notice id'),
    reason: singleLineText(500),
  })
  .strict();
export type WithdrawInput = z.output<typeof withdrawInput>;
