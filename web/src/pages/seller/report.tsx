import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import type { CallableInput } from '../../api/client';
import { useSession } from '../../auth/session';
import { ErrorMessage, Field, Status, useAction } from '../../components/ui';
import { api } from '../../firebase';

// functions/src/incidents/model.ts INCIDENT_CATEGORIES and schema.ts INCIDENT_LIMITS.
const CATEGORIES = ['vulnerability', 'account-compromise', 'data-exposure', 'abuse', 'other'] as const;
type Category = (typeof CATEGORIES)[number];
const LIMITS = { summary: 200, description: 20_000, contactName: 100 };

/** A `datetime-local` value read as Taipei time (the reporter's clock may be anywhere: dates people read are Taipei's). */
function taipeiInstant(local: string): string | undefined {
  return local ? `${local.length === 16 ? `${local}:00` : local}+08:00` : undefined;
}

/**
 * `/report`: report a security incident (clause 5.7), signed in or not. Signed-out reporters must
 * leave an address for the answer; the page shows the reference to follow it by.
 */
export function ReportPage(): JSX.Element {
  const { t, i18n } = useTranslation('seller');
  const { user } = useSession();
  const [form, setForm] = useState({ category: 'vulnerability' as Category, summary: '', description: '', occurredAt: '', contactEmail: '', contactName: '' });
  const [reference, setReference] = useState<string | null>(null);
  const report = useAction(() => {
    const input: CallableInput<'reportIncident'> = {
      category: form.category,
      summary: form.summary.trim(),
      description: form.description.trim(),
      ...(form.occurredAt ? { occurredAt: taipeiInstant(form.occurredAt) } : {}),
      ...(form.contactEmail.trim() ? { contactEmail: form.contactEmail.trim() } : {}),
      ...(form.contactName.trim() ? { contactName: form.contactName.trim() } : {}),
      ...(user ? {} : { locale: i18n.language === 'en' ? 'en' : 'zh-TW' }),
    };
    return api.call('reportIncident', input);
  });
  const edit = (field: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [field]: e.currentTarget.value });
  return (
    <section aria-labelledby="report-title">
      <h1 id="report-title">{t('report.title')}</h1>
      <p>{t('report.explain')}</p>
      {reference ? (
        <Status>
          <p>{t('report.received')} <strong data-testid="incident-reference">{reference}</strong></p>
          <p>{t(user ? 'report.followSignedIn' : 'report.followSignedOut')}</p>
          {user && <p><a href={`/incidents?reference=${encodeURIComponent(reference)}`}>{t('report.follow')}</a></p>}
        </Status>
      ) : (
        <form onSubmit={(e) => {
          e.preventDefault();
          void report.run().then((r) => r && setReference(r.reference));
        }}>
          <Field label={t('report.category')}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={form.category} onChange={edit('category')}>
                {CATEGORIES.map((c) => <option key={c} value={c}>{t(`report.categories.${c}`)}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('report.summary')}>
            {(id, d) => <input id={id} aria-describedby={d} type="text" required maxLength={LIMITS.summary} value={form.summary} onInput={edit('summary')} />}
          </Field>
          <Field label={t('report.description')} hint={t('report.descriptionHint')}>
            {(id, d) => <textarea id={id} aria-describedby={d} required maxLength={LIMITS.description} value={form.description} onInput={edit('description')} />}
          </Field>
          <Field label={t('report.occurredAt')} hint={t('report.occurredAtHint')}>
            {(id, d) => <input id={id} aria-describedby={d} type="datetime-local" value={form.occurredAt} onInput={edit('occurredAt')} />}
          </Field>
          <Field label={t('report.contactEmail')} hint={t(user ? 'report.contactEmailSignedIn' : 'report.contactEmailSignedOut')}>
            {(id, d) => <input id={id} aria-describedby={d} type="email" autoComplete="email" required={!user} value={form.contactEmail} onInput={edit('contactEmail')} />}
          </Field>
          <Field label={t('report.contactName')}>
            {(id, d) => <input id={id} aria-describedby={d} type="text" autoComplete="name" maxLength={LIMITS.contactName} value={form.contactName} onInput={edit('contactName')} />}
          </Field>
          <ErrorMessage error={report.error} />
          <button type="submit" class="primary" disabled={report.busy}>{t('report.submit')}</button>
        </form>
      )}
      {!user && <p><a href="/sign-in">{t('common:signIn')}</a></p>}
    </section>
  );
}
