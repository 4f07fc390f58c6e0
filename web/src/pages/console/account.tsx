import type { JSX } from 'preact';
import { useRoute } from 'preact-iso';
import { useTranslation } from 'react-i18next';
import type { CallableResult } from '../../api/client';
import { useSession } from '../../auth/session';
import { ErrorMessage } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime, formatMoney } from '../../time';
import { BillingSection } from './account-billing';
import { BreachSection } from './account-breaches';
import { StatusActions } from './account-status-actions';
import { useLoaded } from './use-loaded';

/** The account as staff see it (`adminGetAccount`). */
export type StaffAccount = CallableResult<'adminGetAccount'>;

/** What each action section gets: the account, whether the viewer may act, and a reload. */
export interface SectionProps {
  readonly account: StaffAccount;
  readonly canAct: boolean;
  readonly reload: () => Promise<void>;
  /** Shows an action's outcome in the section (see ActionPanel). */
  readonly onResult?: (message: string | null) => void;
}

/**
 * One account (`adminGetAccount`): what its owner sees, plus invoices and open breaches, and the
 * staff actions on it. The actions are admin-only in the functions; support sees them disabled.
 */
export function AccountPage(): JSX.Element {
  const { t } = useTranslation('staff');
  const { role } = useSession();
  const id = useRoute().params.uid ?? '';
  const account = useLoaded(() => api.call('adminGetAccount', { uid: id }), id);
  const a = account.data;
  const canAct = role === 'admin';
  return (
    <section aria-labelledby="account-title">
      <p><a href="/console/accounts">{t('account.back')}</a></p>
      <h1 id="account-title">{t('account.title')}</h1>
      <p class="hint">{t('account.viewedNote')}</p>
      <ErrorMessage error={account.error} />
      {account.busy && !a && <p role="status">{t('common:loading')}</p>}
      {a && (
        <>
          <CustomerView account={a} />
          {!canAct && <p class="notice">{t('common.adminOnly')}</p>}
          <StatusActions account={a} canAct={canAct} reload={account.reload} />
          <BillingSection account={a} canAct={canAct} reload={account.reload} />
          <BreachSection account={a} canAct={canAct} reload={account.reload} />
        </>
      )}
    </section>
  );
}

function CustomerView({ account: a }: { account: StaffAccount }): JSX.Element {
  const { t, i18n } = useTranslation('staff');
  const date = (iso: string | null | undefined): string => formatDateTime(iso, i18n.language);
  return (
    <section aria-labelledby="customer-sees">
      <h2 id="customer-sees">{t('account.customerSees')}</h2>
      <dl class="facts">
        <dt>{t('accounts.uid')}</dt>
        <dd><code>{a.uid}</code></dd>
        <dt>{t('accounts.email')}</dt>
        <dd>{a.email ?? '—'}</dd>
        <dt>{t('accounts.contactEmail')}</dt>
        <dd>{a.contactEmail ?? '—'}</dd>
        <dt>{t('accounts.status')}</dt>
        <dd data-testid="account-status">{t(`account.statuses.${a.status}`, { defaultValue: a.status })}</dd>
        {a.suspension && (
          <>
            <dt>{t('account.suspension')}</dt>
            <dd class="console-text">{t('account.suspensionFacts', { since: date(a.suspension.since), reason: a.suspension.reason })}</dd>
          </>
        )}
        {a.termination && (
          <>
            <dt>{t('account.termination')}</dt>
            <dd class="console-text" data-testid="account-termination">
              {t('account.terminationFacts', { kind: t(`account.kinds.${a.termination.kind}`, { defaultValue: a.termination.kind }), date: date(a.termination.effectiveAt), reason: a.termination.reason })}
            </dd>
          </>
        )}
        <dt>{t('account.contractEnd')}</dt>
        <dd>{date(a.contract.endsAt)}</dd>
        <dt>{t('account.amountDue')}</dt>
        <dd data-testid="account-amount-due">{formatMoney(a.billing.amountDue, a.billing.currency, i18n.language)}</dd>
        <dt>{t('account.retrieval')}</dt>
        <dd data-testid="account-retrieval">{a.retrieval.allowed ? t('account.retrievalAllowed') : t(`account.retrievalReasons.${a.retrieval.reason ?? 'TERMINATED'}`)}</dd>
      </dl>
    </section>
  );
}
