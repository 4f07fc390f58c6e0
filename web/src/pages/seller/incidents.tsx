import type { JSX } from 'preact';
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import type { CallableResult } from '../../api/client';
import { ErrorMessage, Field, useAction } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime } from '../../time';

type Incident = CallableResult<'getIncident'>;

/** `/incidents`: follow an incident reported from this account by its reference (`getIncident`). */
export function IncidentsPage(): JSX.Element {
  const { t, i18n } = useTranslation('seller');
  const { query } = useLocation();
  const [reference, setReference] = useState(query.reference ?? '');
  const [incident, setIncident] = useState<Incident | null>(null);
  const lookUp = useAction((ref: string) => api.call('getIncident', { reference: ref }));
  const find = (ref: string): void => {
    setIncident(null);
    void lookUp.run(ref.trim().toUpperCase()).then((i) => i && setIncident(i));
  };
  useEffect(() => {
    if (query.reference) find(query.reference);
  }, []);
  return (
    <section aria-labelledby="incidents-title">
      <h1 id="incidents-title">{t('incidents.title')}</h1>
      <p>{t('incidents.explain')} <a href="/report">{t('incidents.reportNew')}</a></p>
      <form onSubmit={(e) => {
        e.preventDefault();
        find(reference);
      }}>
        <Field label={t('incidents.reference')} hint={t('incidents.referenceHint')}>
          {(id, d) => <input id={id} aria-describedby={d} type="text" required pattern="[Ii][Nn][Cc]-\d{4}-\d{6}" value={reference} onInput={(e) => setReference(e.currentTarget.value)} />}
        </Field>
        <button type="submit" class="primary" disabled={lookUp.busy}>{t('incidents.find')}</button>
      </form>
      <ErrorMessage error={lookUp.error} />
      {incident && (
        <dl class="facts" data-testid="incident">
          <dt>{t('incidents.reference')}</dt>
          <dd>{incident.reference}</dd>
          <dt>{t('incidents.status')}</dt>
          <dd data-testid="incident-status">{t(`incidents.statuses.${incident.status}`)}</dd>
          <dt>{t('incidents.createdAt')}</dt>
          <dd>{formatDateTime(incident.createdAt, i18n.language)}</dd>
          <dt>{t('incidents.updatedAt')}</dt>
          <dd>{formatDateTime(incident.updatedAt, i18n.language)}</dd>
        </dl>
      )}
    </section>
  );
}
