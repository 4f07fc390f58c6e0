import type { JSX } from 'preact';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ui';
import { formatDateTime, formatMoney, taipeiDate } from '../../time';
import { DueInvoices } from './due-invoices';
import { useAccount, type Account } from './use-account';

/** The termination date and what it means (clauses 3.1, 3.2): full use until then, content destroyed on it. */
function TerminationFacts({ termination }: { termination: NonNullable<Account['termination']> }): JSX.Element {
  const { t, i18n } = useTranslation('seller');
  const on = new Date(termination.effectiveAt);
  return (
    <div class="notice" data-testid="termination">
      <p>
        {t('account.terminationOn')}{' '}
        <time dateTime={taipeiDate(on)} data-testid="termination-date">{formatDateTime(termination.effectiveAt, i18n.language)}</time>
        {t('account.taipeiTime')}
      </p>
      <p>{t(termination.initiatedBy === 'customer' ? 'account.terminationByYou' : 'account.terminationByUs')}</p>
      <p>{t('account.terminationMeans')}</p>
      {termination.contentDestroyedAt && <p>{t('account.contentDestroyed', { date: formatDateTime(termination.contentDestroyedAt, i18n.language) })}</p>}
    </div>
  );
}

/** Whether the owner may download their content now, and if not, why and what to do. */
function RetrievalFacts({ account }: { account: Account }): JSX.Element {
  const { t } = useTranslation('seller');
  const { retrieval } = account;
  if (retrieval.allowed) return <p>{t('account.retrievalAllowed')} <a href="/content">{t('nav.content')}</a></p>;
  return <p class="notice notice-error" data-testid="retrieval-refused">{t(`account.retrievalRefused.${retrieval.reason ?? 'TERMINATED'}`)}</p>;
}

/** The account as its owner sees it (`getAccount`): status, termination date, amounts due, retrieval. */
export function AccountPage(): JSX.Element {
  const { t, i18n } = useTranslation('seller');
  const { account, busy, error } = useAccount();
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{t('account.title')}</h1>
      <ErrorMessage error={error} />
      {!account && busy && <p role="status">{t('common:loading')}</p>}
      {account && (
        <>
          {account.needsContactEmail && (
            <p class="notice notice-error">{t('account.needsContactEmail')} <a href="/settings">{t('account.setContactEmail')}</a></p>
          )}
          <dl class="facts">
            <dt>{t('account.status')}</dt>
            <dd data-testid="account-status">{t(`account.statuses.${account.status}`, { defaultValue: account.status })}</dd>
            <dt>{t('common:email')}</dt>
            <dd>{account.email ?? '—'}</dd>
            <dt>{t('account.contactEmail')}</dt>
            <dd>{account.contactEmail ?? '—'}</dd>
            <dt>{t('account.contractSince')}</dt>
            <dd>{formatDateTime(account.contract.startsAt, i18n.language)}</dd>
            {account.contract.endsAt && (<><dt>{t('account.contractEnds')}</dt><dd>{formatDateTime(account.contract.endsAt, i18n.language)}</dd></>)}
            <dt>{t('account.amountDue')}</dt>
            <dd data-testid="amount-due">{formatMoney(account.billing.amountDue, account.billing.currency, i18n.language)}</dd>
          </dl>
          {account.suspension && (
            <div class="notice notice-error" data-testid="suspension">
              <p>{t('account.suspendedSince', { date: formatDateTime(account.suspension.since, i18n.language) })}</p>
              <p>{t('account.suspensionReason', { reason: account.suspension.reason })}</p>
            </div>
          )}
          {account.termination && <TerminationFacts termination={account.termination} />}
          <h2>{t('account.dueTitle')}</h2>
          {account.billing.dueInvoices.length === 0 ? <p>{t('account.nothingDue')}</p> : <DueInvoices invoices={account.billing.dueInvoices} />}
          <h2>{t('account.retrievalTitle')}</h2>
          <RetrievalFacts account={account} />
        </>
      )}
    </section>
  );
}
