import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import type { CallableResult } from '../../api/client';
import { usePages, type Page } from '../../components/pages';
import { ErrorMessage, Field, MoreButton } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime } from '../../time';

type Queued = CallableResult<'adminListIncidents'>['incidents'][number];
const STATUSES = ['received', 'triaged', 'resolved'] as const;
type Filter = (typeof STATUSES)[number] | '';

/** The incident queue, oldest first (`adminListIncidents`, clause 5.7), filtered by status, a page at a time. */
export function IncidentQueuePage(): JSX.Element {
  const { t, i18n } = useTranslation('staff');
  const [filter, setFilter] = useState<Filter>('received');
  const list = usePages(async (pageToken?: string): Promise<Page<Queued>> => {
    const r = await api.call('adminListIncidents', { status: filter || null, ...(pageToken ? { pageToken } : {}) });
    return { items: r.incidents, next: r.nextPageToken };
  }, filter);
  const rows = list.items;
  return (
    <section aria-labelledby="incidents-title">
      <h1 id="incidents-title">{t('incidents.title')}</h1>
      <p class="hint console-intro">{t('incidents.intro')}</p>
      <Field label={t('common.filter')}>
        {(id) => (
          <select id={id} value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="">{t('common.all')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{t(`incidents.statuses.${s}`)}</option>)}
          </select>
        )}
      </Field>
      <ErrorMessage error={list.error} />
      {list.busy && !list.loaded && <p role="status">{t('common:loading')}</p>}
      {list.loaded && rows.length === 0 && <p>{t('common.empty')}</p>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="console-cards">
            <thead>
              <tr>
                <th scope="col">{t('incidents.reference')}</th>
                <th scope="col">{t('incidents.createdAt')}</th>
                <th scope="col">{t('incidents.status')}</th>
                <th scope="col">{t('incidents.category')}</th>
                <th scope="col">{t('incidents.summary')}</th>
                <th scope="col">{t('incidents.reporter')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((i) => (
                <tr key={i.reference}>
                  <td data-label={t('incidents.reference')}><a href={`/console/incidents/${i.reference}`}>{i.reference}</a></td>
                  <td data-label={t('incidents.createdAt')}>
                    {formatDateTime(i.createdAt, i18n.language)}
                    {i.lateAlertedAt && <span class="console-flag">{t('incidents.late')}</span>}
                  </td>
                  <td data-label={t('incidents.status')}>{t(`incidents.statuses.${i.status}`)}</td>
                  <td data-label={t('incidents.category')}>{t(`incidents.categories.${i.category}`, { defaultValue: i.category })}</td>
                  <td data-label={t('incidents.summary')} class="console-text">{i.summary}</td>
                  <td data-label={t('incidents.reporter')}>{i.reporter.name ?? i.reporter.email ?? t('common.anonymous')}{i.reporter.name && i.reporter.email && <span class="console-sub">{i.reporter.email}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MoreButton token={list.next} busy={list.busy} onMore={list.more} />
    </section>
  );
}
