import type { JSX } from 'preact';
import { useTranslation } from 'react-i18next';
import type { CallableResult } from '../../api/client';
import { usePages, type Page } from '../../components/pages';
import { ErrorMessage, MoreButton } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime } from '../../time';

type Entry = CallableResult<'listActivity'>['entries'][number];

/** `/activity`: the account's activity log, newest first, a page at a time (clause 1.1(a)). */
export function ActivityPage(): JSX.Element {
  const { t, i18n } = useTranslation('seller');
  const page = usePages(async (pageToken?: string): Promise<Page<Entry>> => {
    const r = await api.call('listActivity', pageToken ? { pageToken } : {});
    return { items: r.entries, next: r.nextPageToken };
  });
  const { items: entries, loaded } = page;
  return (
    <section aria-labelledby="activity-title">
      <h1 id="activity-title">{t('activity.title')}</h1>
      <p>{t('activity.explain')}</p>
      <ErrorMessage error={page.error} />
      {!loaded && page.busy && <p role="status">{t('common:loading')}</p>}
      {loaded && entries.length === 0 && <p>{t('activity.none')}</p>}
      {entries.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('activity.title')}>
          <table>
            <thead><tr><th scope="col">{t('activity.at')}</th><th scope="col">{t('activity.action')}</th><th scope="col">{t('activity.actor')}</th></tr></thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.at, i18n.language)}</td>
                  <td>{t(`activity.actions.${entry.action}`, { defaultValue: entry.action })}</td>
                  <td>{t(`activity.roles.${entry.actor.role}`, { defaultValue: entry.actor.role })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MoreButton token={page.next} busy={page.busy} onMore={page.more} />
    </section>
  );
}
