import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import type { CallableResult } from '../../api/client';
import { usePages, type Page } from '../../components/pages';
import { ErrorMessage, Field, MoreButton, Status } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime } from '../../time';
import { ActionPanel } from './action-panel';

type Request = CallableResult<'adminListRecordRequests'>['requests'][number];
const STATUSES = ['received', 'fulfilled'] as const;
type Filter = (typeof STATUSES)[number] | '';

/** The records-request queue, oldest first (`adminListRecordRequests`, clause 5.8), and fulfilling one. */
export function RecordRequestsPage(): JSX.Element {
  const { t } = useTranslation('staff');
  const [filter, setFilter] = useState<Filter>('received');
  const list = usePages(async (pageToken?: string): Promise<Page<Request>> => {
    const r = await api.call('adminListRecordRequests', { status: filter || null, ...(pageToken ? { pageToken } : {}) });
    return { items: r.requests, next: r.nextPageToken };
  }, filter);
  const rows = list.items;
  return (
    <section aria-labelledby="records-title">
      <h1 id="records-title">{t('records.title')}</h1>
      <p class="hint console-intro">{t('records.intro')}</p>
      <Field label={t('common.filter')}>
        {(id) => (
          <select id={id} value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="">{t('common.all')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{t(`records.statuses.${s}`)}</option>)}
          </select>
        )}
      </Field>
      <ErrorMessage error={list.error} />
      {list.busy && !list.loaded && <p role="status">{t('common:loading')}</p>}
      {list.loaded && rows.length === 0 && <p>{t('common.empty')}</p>}
      <ul class="console-list" aria-label={t('records.title')}>
        {rows.map((r) => <RequestItem key={r.reference} request={r} />)}
      </ul>
      <MoreButton token={list.next} busy={list.busy} onMore={list.more} />
    </section>
  );
}

function RequestItem({ request }: { request: Request }): JSX.Element {
  const { t, i18n } = useTranslation('staff');
  const [note, setNote] = useState('');
  // The item stays as listed; a fulfilment shows here, without reordering the queue under the reader.
  const [fulfilled, setFulfilled] = useState<CallableResult<'adminFulfilRecordRequest'> | null>(null);
  const r = request;
  const status = fulfilled ? 'fulfilled' : r.status;
  return (
    <li>
      <h2 class="console-item-title">{r.reference} <span class="hint">（{t(`records.statuses.${status}`)}）</span></h2>
      <dl class="facts">
        <dt>{t('records.requester')}</dt>
        <dd><a href={`/console/accounts/${encodeURIComponent(r.uid)}`}>{r.email ?? r.uid}</a></dd>
        <dt>{t('records.scope')}</dt>
        <dd>{t(`records.scopes.${r.scope}`, { defaultValue: r.scope })}</dd>
        <dt>{t('records.period')}</dt>
        <dd>{r.from ?? t('records.openEnded')} – {r.to ?? t('records.openEnded')}</dd>
        <dt>{t('records.createdAt')}</dt>
        <dd>{formatDateTime(r.createdAt, i18n.language)}{r.overdueAlertedAt && <span class="console-flag">{t('records.overdue')}</span>}</dd>
        {r.note && (<><dt>{t('records.customerNote')}</dt><dd class="console-text">{r.note}</dd></>)}
        {r.fulfilledAt && (
          <>
            <dt>{t('records.statuses.fulfilled')}</dt>
            <dd class="console-text">{t('records.fulfilledInfo', { date: formatDateTime(r.fulfilledAt, i18n.language), who: t(`roles.${r.fulfilledBy?.role ?? 'system'}`) })}{r.fulfilmentNote && <><br />{r.fulfilmentNote}</>}</dd>
          </>
        )}
      </dl>
      {fulfilled && <Status>{t('records.fulfilled', { reference: fulfilled.reference, lines: fulfilled.lines })}</Status>}
      {r.status === 'received' && !fulfilled && (
        <ActionPanel open legend={t('records.fulfil')} confirm={t('records.fulfilConfirm')} ready
          run={async () => {
            const done = await api.call('adminFulfilRecordRequest', { reference: r.reference, note: note.trim() || null });
            setFulfilled(done);
            return t('records.fulfilled', { reference: done.reference, lines: done.lines });
          }}>
          <Field label={t('records.note')}>{(id) => <textarea id={id} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}</Field>
        </ActionPanel>
      )}
    </li>
  );
}
