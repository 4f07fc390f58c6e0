import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime } from '../../time';
import { useLoaded } from './use-loaded';

/**
 * Account look-up by email or uid (`adminFindAccount`). The query lives in the address
 * (`?q=`), so a result can be reloaded, shared with a colleague and reached again with Back.
 */
export function AccountSearchPage(): JSX.Element {
  const { t, i18n } = useTranslation('staff');
  const location = useLocation();
  const query = (location.query.q ?? '').trim();
  const [typed, setTyped] = useState(query);
  const found = useLoaded(async () => (query ? api.call('adminFindAccount', { query }) : null), query);
  const submit = (e: Event): void => {
    e.preventDefault();
    const q = typed.trim();
    if (q) location.route(`/console/accounts?q=${encodeURIComponent(q)}`);
  };
  const accounts = found.data?.accounts;
  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t('accounts.title')}</h1>
      <form role="search" onSubmit={submit}>
        <Field label={t('accounts.query')} hint={t('accounts.queryHint')}>
          {(id, describedBy) => <input id={id} aria-describedby={describedBy} type="search" required maxLength={320} autoComplete="off" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />}
        </Field>
        <button type="submit" class="primary">{t('accounts.search')}</button>
      </form>
      <ErrorMessage error={found.error} />
      {found.busy && <p role="status">{t('common:loading')}</p>}
      {accounts && accounts.length === 0 && <p role="status">{t('accounts.noMatch', { query })}</p>}
      {accounts && accounts.length > 0 && (
        <>
          <h2>{t('accounts.results')}</h2>
          <div class="table-wrap">
            <table class="console-cards">
              <thead>
                <tr>
                  <th scope="col">{t('accounts.email')}</th>
                  <th scope="col">{t('accounts.contactEmail')}</th>
                  <th scope="col">{t('accounts.name')}</th>
                  <th scope="col">{t('accounts.status')}</th>
                  <th scope="col">{t('accounts.createdAt')}</th>
                  <th scope="col">{t('accounts.uid')}</th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((a) => (
                  <tr key={a.uid}>
                    <td data-label={t('accounts.email')}><a href={`/console/accounts/${encodeURIComponent(a.uid)}`} aria-label={t('accounts.open', { who: a.email ?? a.uid })}>{a.email ?? '—'}</a></td>
                    <td data-label={t('accounts.contactEmail')}>{a.contactEmail ?? '—'}</td>
                    <td data-label={t('accounts.name')}>{a.displayName ?? '—'}</td>
                    <td data-label={t('accounts.status')}>{a.status ? t(`account.statuses.${a.status}`) : t('accounts.notProvisioned')}</td>
                    <td data-label={t('accounts.createdAt')}>{formatDateTime(a.createdAt, i18n.language)}</td>
                    <td data-label={t('accounts.uid')}><code>{a.uid}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
