import type { Deps } from '../deps';
import type { MailDoc } from './model';
import { classifySendError, scrubSecrets, type SendFailure } from './policy';

/** How one SMTP send ended: the server's answer, or the classified failure. */
export type SendResult =
  | { readonly ok: true; readonly smtp: NonNullable<MailDoc['smtp']> }
  | { readonly ok: false; readonly failure: SendFailure };

const addressText = (a: unknown): string => {
  if (typeof a === 'string') return a;
  const address = typeof a === 'object' && a !== null && 'address' in a ? a.address : undefined;
  return typeof address === 'string' ? address : JSON.stringify(a);
};

/**
 * Sends one claimed message over SMTP. Never throws: a refusal, a dropped connection or an abort
 * by `signal` comes back as a classified failure with the SMTP secrets scrubbed.
 */
export async function send(deps: Deps, doc: MailDoc, signal: AbortSignal): Promise<SendResult> {
  try {
    const info = await deps.mailer.sendMail({
      from: deps.config.MAIL_FROM,
      to: doc.to,
      ...(doc.replyTo ? { replyTo: doc.replyTo } : {}),
      subject: doc.subject,
      text: doc.text,
      html: doc.html,
      // The same Message-ID on every attempt: a receiver can drop a copy that an attempt with an
      // unknown outcome (timeout, crash after DATA) already delivered.
      messageId: doc.messageId,
      signal,
    });
    const smtp = {
      accepted: (info.accepted ?? []).map(addressText),
      rejected: (info.rejected ?? []).map(addressText),
      response: typeof info.response === 'string' ? scrubSecrets(info.response, deps.config.SMTP_URL).slice(0, 500) : '',
      messageId: typeof info.messageId === 'string' ? info.messageId : doc.messageId,
    };
    return { ok: true, smtp };
  } catch (error) {
    return { ok: false, failure: classifySendError(error, deps.config.SMTP_URL) };
  }
}
