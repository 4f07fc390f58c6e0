import type { JSX } from 'preact';
import { useTranslation } from 'react-i18next';
import type { CallableResult } from '../../api/client';
import { usePages, type Page } from '../../components/pages';
import { ErrorMessage, MoreButton } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime } from '../../time';
import { useLoaded } from './use-loaded';

type FailedMail = CallableResult<'adminListFailedMail'>['messages'][number];

/** Backups (`adminBackupHealth`, clause 5.4) and mail that could not be sent (`adminListFailedMail`), at a glance. */
export function HealthPage(): JSX.Element {
  const { t } = useTranslation('staff');
  return (
    <section aria-labelledby="health-title">
      <h1 id="health-title">{t('health.title')}</h1>
      <Backups />
      <Mail />
    </section>
  );
}

function size(bytes: number | null): string {
  if (bytes === null) return '—';
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function Backups(): JSX.Element {
  const { t, i18n } = useTranslation('staff');
  const health = useLoaded(() => api.call('adminBackupHealth'), 'backups');
  const h = health.data;
  const date = (iso: string | null): string => formatDateTime(iso, i18n.language);
  return (
    <section aria-labelledby="backups">
      <h2 id="backups">{t('health.backups')}</h2>
      <ErrorMessage error={health.error} />
      {health.busy && !h && <p role="status">{t('common:loading')}</p>}
      {h && (
        <>
          {h.healthy
            ? <p class="notice notice-ok" data-testid="backup-health">{t('health.healthy')}</p>
            : (
              <div class="notice notice-error" data-testid="backup-health">
                <p>{t('health.unhealthy')}</p>
                <ul>{h.problems.map((p) => <li key={p.key}>{t(`health.problems.${p.kind}`, { hours: h.staleAfterHours, id: p.backupId ?? '', defaultValue: p.message })} — {p.alertedAt ? t('health.alerted', { date: date(p.alertedAt) }) : t('health.notAlerted')}</li>)}</ul>
              </div>
            )}
          <dl class="facts">
            <dt>{t('health.latest')}</dt>
            <dd>{date(h.latestSuccessAt)}</dd>
          </dl>
          <p class="hint">{t('health.retention', { days: h.retentionDays, hours: h.staleAfterHours })}</p>
          {h.backups.length > 0 && (
            <div class="table-wrap">
              <table class="console-cards" aria-label={t('health.recent')}>
                <thead>
                  <tr><th scope="col">{t('health.started')}</th><th scope="col">{t('health.state')}</th><th scope="col">{t('health.finished')}</th><th scope="col">{t('health.size')}</th></tr>
                </thead>
                <tbody>
                  {h.backups.map((b) => (
                    <tr key={b.id}>
                      <td data-label={t('health.started')}>{date(b.startedAt)}</td>
                      <td data-label={t('health.state')}>{t(`health.states.${b.state}`)}{b.error && <span class="console-sub console-text">{b.error}</span>}</td>
                      <td data-label={t('health.finished')}>{date(b.finishedAt)}</td>
                      <td data-label={t('health.size')}>{b.documents ?? '—'} / {size(b.bytes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function Mail(): JSX.Element {
  const { t, i18n } = useTranslation('staff');
  const list = usePages(async (pageToken?: string): Promise<Page<FailedMail>> => {
    const r = await api.call('adminListFailedMail', pageToken ? { pageToken } : {});
    return { items: r.messages, next: r.nextPageToken };
  });
  const rows = list.items;
  return (
    <section aria-labelledby="failed-mail">
      <h2 id="failed-mail">{t('health.failedMail')}</h2>
      <ErrorMessage error={list.error} />
      {list.loaded && rows.length === 0 && <p class="notice notice-ok" data-testid="failed-mail">{t('health.noFailedMail')}</p>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="console-cards" data-testid="failed-mail">
            <thead>
              <tr>
                <th scope="col">{t('health.failedAt')}</th><th scope="col">{t('health.mailKind')}</th><th scope="col">{t('health.subject')}</th>
                <th scope="col">{t('health.to')}</th><th scope="col">{t('health.attempts')}</th><th scope="col">{t('health.lastError')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <td data-label={t('health.failedAt')}>{formatDateTime(m.failedAt, i18n.language)}</td>
                  <td data-label={t('health.mailKind')}><code>{m.kind}</code></td>
                  <td data-label={t('health.subject')} class="console-text">{m.subject}</td>
                  <td data-label={t('health.to')}>{m.uid ? <a href={`/console/accounts/${encodeURIComponent(m.uid)}`}>{m.to.join(', ')}</a> : m.to.join(', ')}</td>
                  <td data-label={t('health.attempts')}>{m.attempts}</td>
                  <td data-label={t('health.lastError')} class="console-text">{m.lastError ?? '—'}</td>
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
