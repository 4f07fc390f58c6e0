import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import type { CallableResult } from '../../api/client';
import { usePages, type Page } from '../../components/pages';
import { ErrorMessage, MoreButton, Status, useAction } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime } from '../../time';

type Notice = CallableResult<'listMyNotices'>['notices'][number];

// functions/src/inbox/mark-notices-read.ts MAX_MARK_IDS.
const MAX_MARK = 100;

/** `/inbox`: the notices sent to this account (service changes, clause 2.1), unread first marked; read on request. */
export function InboxPage(): JSX.Element {
  const { t, i18n } = useTranslation('seller');
  const [marked, setMarked] = useState<number | null>(null);
  const page = usePages(async (pageToken?: string): Promise<Page<Notice>> => {
    const r = await api.call('listMyNotices', pageToken ? { pageToken } : {});
    return { items: r.notices, next: r.nextPageToken };
  });
  const { items: notices, loaded } = page;
  const mark = useAction((ids: string[]) => api.call('markNoticesRead', { ids }));
  const unread = notices.filter((n) => !n.readAt).map((n) => n.id).slice(0, MAX_MARK);
  const markRead = (): void => {
    void mark.run(unread).then((r) => {
      if (!r) return;
      const now = new Date().toISOString();
      page.update((list) => list.map((n) => (unread.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n)));
      setMarked(r.marked);
    });
  };
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t('inbox.title')}</h1>
      <ErrorMessage error={page.error ?? mark.error} />
      {!loaded && page.busy && <p role="status">{t('common:loading')}</p>}
      {loaded && notices.length === 0 && <p>{t('inbox.none')}</p>}
      {unread.length > 0 && <button type="button" disabled={mark.busy} onClick={markRead}>{t('inbox.markRead', { count: unread.length })}</button>}
      {marked !== null && <Status>{t('inbox.marked', { count: marked })}</Status>}
      <ul class="inbox">
        {notices.map((notice) => (
          <li key={notice.id} class={notice.readAt ? 'read' : 'unread'}>
            <article aria-labelledby={`notice-${notice.id}`}>
              <h2 id={`notice-${notice.id}`}>
                {!notice.readAt && <span class="badge">{t('inbox.unread')}</span>} {notice.title}
              </h2>
              <p class="hint">{formatDateTime(notice.createdAt, i18n.language)}</p>
              <p class="body">{notice.body}</p>
            </article>
          </li>
        ))}
      </ul>
      <MoreButton token={page.next} busy={page.busy} onMore={page.more} />
    </section>
  );
}
