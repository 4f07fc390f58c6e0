import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { useTranslation } from 'react-i18next';
import type { CallableResult } from '../../api/client';
import { ErrorMessage, Field, Status, useAction } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime } from '../../time';
import { useLoaded } from './use-loaded';

type Incident = CallableResult<'adminGetIncident'>;
type StaffStatus = 'triaged' | 'resolved';

// The moves adminUpdateIncident allows (functions/src/incidents/admin-update-incident.ts TRANSITIONS):
// only these are offered; the function refuses the rest anyway.
const TRANSITIONS: Record<Incident['status'], readonly StaffStatus[]> = {
  received: ['triaged', 'resolved'],
  triaged: ['triaged', 'resolved'],
  resolved: ['triaged'],
};

/** One incident (`adminGetIncident`): what was reported, by whom, its history, and a status update. */
export function IncidentPage(): JSX.Element {
  const { t, i18n } = useTranslation('staff');
  const ref = useRoute().params.reference ?? '';
  const incident = useLoaded(() => api.call('adminGetIncident', { reference: ref }), ref);
  const i = incident.data;
  return (
    <section aria-labelledby="incident-title">
      <p><a href="/console">{t('incident.back')}</a></p>
      <h1 id="incident-title">{t('incident.title')} <span class="console-ref">{ref}</span></h1>
      <ErrorMessage error={incident.error} />
      {incident.busy && !i && <p role="status">{t('common:loading')}</p>}
      {i && (
        <>
          <dl class="facts">
            <dt>{t('incidents.status')}</dt>
            <dd data-testid="incident-status">{t(`incidents.statuses.${i.status}`)}</dd>
            <dt>{t('incidents.category')}</dt>
            <dd>{t(`incidents.categories.${i.category}`, { defaultValue: i.category })}</dd>
            <dt>{t('incidents.createdAt')}</dt>
            <dd>{formatDateTime(i.createdAt, i18n.language)}{i.lateAlertedAt && <span class="console-flag">{t('incidents.late')}</span>}</dd>
            <dt>{t('incident.occurredAt')}</dt>
            <dd>{formatDateTime(i.occurredAt, i18n.language)}</dd>
            <dt>{t('incident.updatedAt')}</dt>
            <dd>{formatDateTime(i.updatedAt, i18n.language)}</dd>
          </dl>
          <h2>{t('incident.reported')}</h2>
          <p class="console-text"><strong>{i.summary}</strong></p>
          <p class="console-text">{i.description}</p>
          <h2>{t('incidents.reporter')}</h2>
          <Reporter incident={i} />
          <h2>{t('incident.history')}</h2>
          <History incident={i} />
          <UpdateStatus incident={i} onDone={incident.reload} />
        </>
      )}
    </section>
  );
}

function Reporter({ incident }: { incident: Incident }): JSX.Element {
  const { t } = useTranslation('staff');
  const r = incident.reporter;
  const a = r.account;
  return (
    <dl class="facts">
      <dt>{t('incident.reporterName')}</dt>
      <dd>{r.name ?? (r.uid ? '—' : t('common.anonymous'))}</dd>
      <dt>{t('incident.reporterEmail')}</dt>
      <dd>{r.email ?? '—'}</dd>
      {a && r.uid && (
        <>
          <dt>{t('incident.reporterAccount')}</dt>
          <dd>
            {t('incident.accountFacts', {
              email: a.email ?? '—',
              status: t(`account.statuses.${a.status}`, { defaultValue: a.status }),
              verified: t(a.emailVerified ? 'incident.verified' : 'incident.unverified'),
              provider: a.signInProvider ?? '—',
            })}
            {' '}<a href={`/console/accounts/${encodeURIComponent(r.uid)}`}>{t('incident.openAccount')}</a>
          </dd>
        </>
      )}
    </dl>
  );
}

function History({ incident }: { incident: Incident }): JSX.Element {
  const { t, i18n } = useTranslation('staff');
  const status = (s: string): string => t(`incidents.statuses.${s}`, { defaultValue: s });
  return (
    <>
      {incident.historyTruncated && <p class="hint">{t('incident.historyTruncated')}</p>}
      <ol class="console-history" aria-label={t('incident.history')}>
        {incident.history.map((h, n) => (
          <li key={`${h.at}-${n}`}>
            <p>
              <time dateTime={h.at}>{formatDateTime(h.at, i18n.language)}</time>{' '}
              <strong>{h.previousStatus ? t('incident.historyEntry', { from: status(h.previousStatus), to: status(h.status) }) : t('incident.historyFirst', { to: status(h.status) })}</strong>{' '}
              {t('incident.by', { who: t(`roles.${h.by.role}`) })}
            </p>
            {h.note && <p class="console-text">{h.note}</p>}
          </li>
        ))}
      </ol>
    </>
  );
}

function UpdateStatus({ incident, onDone }: { incident: Incident; onDone: () => Promise<void> }): JSX.Element {
  const { t } = useTranslation('staff');
  const allowed = TRANSITIONS[incident.status];
  const [status, setStatus] = useState<StaffStatus>(allowed[0]!);
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const update = useAction(() => api.call('adminUpdateIncident', { reference: incident.reference, status: allowed.includes(status) ? status : allowed[0]!, note }));
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setDone(null);
    const view = await update.run();
    if (!view) return;
    setNote('');
    // Shown with the reloaded incident, so the message and the history agree.
    await onDone();
    setDone(t('incident.updated', { reference: view.reference, status: t(`incidents.statuses.${view.status}`) }));
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="incident-update">
      <h2 id="incident-update">{t('incident.update')}</h2>
      <Field label={t('incident.newStatus')}>
        {(id) => (
          <select id={id} value={allowed.includes(status) ? status : allowed[0]} onChange={(e) => setStatus(e.currentTarget.value as StaffStatus)}>
            {allowed.map((s) => <option key={s} value={s}>{t(`incidents.statuses.${s}`)}</option>)}
          </select>
        )}
      </Field>
      <Field label={t('incident.note')} hint={t('incident.noteHint')}>
        {(id, describedBy) => <textarea id={id} aria-describedby={describedBy} required maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
      </Field>
      <button type="submit" class="primary" disabled={update.busy}>{t('incident.submit')}</button>
      <ErrorMessage error={update.error} />
      {done && <Status>{done}</Status>}
    </form>
  );
}
