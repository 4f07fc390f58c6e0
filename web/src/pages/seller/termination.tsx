import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import { ConfirmButton, ErrorMessage, Field, Status, useAction } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime, taipeiDate } from '../../time';
import { useAccount, type Account } from './use-account';

// functions/src/termination/schema.ts MAX_TERMINATION_REASON_CHARS.
const MAX_REASON = 500;

/** Asks for a termination on a Taipei date inside the window getAccount offers (clause 3.1(a)). */
function RequestForm({ window, onDone }: { window: NonNullable<Account['terminationWindow']>; onDone: (a: Account) => void }): JSX.Element {
  const { t } = useTranslation('seller');
  const [date, setDate] = useState(window.default);
  const [reason, setReason] = useState('');
  const request = useAction(() => api.call('requestTermination', { effectiveAt: date, ...(reason.trim() ? { reason: reason.trim() } : {}) }));
  const outside = !date || date < window.earliest || date > window.latest;
  return (
    <form onSubmit={(e) => e.preventDefault()}>
      <Field label={t('termination.date')} hint={t('termination.dateHint', { earliest: window.earliest, latest: window.latest })} error={outside ? t('termination.dateOutside', { earliest: window.earliest, latest: window.latest }) : null}>
        {(id, d) => <input id={id} aria-describedby={d} type="date" required min={window.earliest} max={window.latest} value={date} onInput={(e) => setDate(e.currentTarget.value)} />}
      </Field>
      <Field label={t('termination.reason')} hint={t('termination.reasonHint')}>
        {(id, d) => <input id={id} aria-describedby={d} type="text" maxLength={MAX_REASON} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
      </Field>
      <ErrorMessage error={request.error} />
      <ConfirmButton
        label={t('termination.request')}
        title={t('termination.confirmTitle')}
        body={<><p>{t('termination.confirmDate', { date })}</p><p>{t('termination.confirmBody')}</p></>}
        confirmLabel={t('termination.confirm')}
        danger
        disabled={request.busy || outside}
        onConfirm={() => void request.run().then((a) => a && onDone(a))}
      />
    </form>
  );
}

/** `/termination`: request a termination with a date picker, or cancel one's own before its date. */
export function TerminationPage(): JSX.Element {
  const { t, i18n } = useTranslation('seller');
  const { account, busy, error, set } = useAccount();
  const [done, setDone] = useState<'requested' | 'cancelled' | null>(null);
  const cancel = useAction(() => api.call('cancelTermination'));
  const termination = account?.termination ?? null;
  const cancellable = account?.status === 'terminating' && termination?.kind === 'convenience' && termination.initiatedBy === 'customer';
  return (
    <section aria-labelledby="termination-title">
      <h1 id="termination-title">{t('termination.title')}</h1>
      <ErrorMessage error={error} />
      {!account && busy && <p role="status">{t('common:loading')}</p>}
      {done && <Status>{t(`termination.${done}`)}</Status>}
      {account && (
        <dl class="facts">
          <dt>{t('account.status')}</dt>
          <dd data-testid="account-status">{t(`account.statuses.${account.status}`, { defaultValue: account.status })}</dd>
          {termination && (<>
            <dt>{t('termination.effective')}</dt>
            <dd><time dateTime={taipeiDate(new Date(termination.effectiveAt))} data-testid="termination-date">{formatDateTime(termination.effectiveAt, i18n.language)}</time>{t('account.taipeiTime')}</dd>
          </>)}
        </dl>
      )}
      <p>{t('termination.explain')}</p>
      {account?.terminationWindow && <RequestForm window={account.terminationWindow} onDone={(a) => { set(a); setDone('requested'); }} />}
      {cancellable && (
        <>
          <p>{t('termination.cancelExplain')}</p>
          <ErrorMessage error={cancel.error} />
          <ConfirmButton
            label={t('termination.cancel')}
            title={t('termination.cancelTitle')}
            body={<p>{t('termination.cancelBody')}</p>}
            confirmLabel={t('termination.cancelConfirm')}
            disabled={cancel.busy}
            onConfirm={() => void cancel.run().then((a) => { if (a) { set(a); setDone('cancelled'); } })}
          />
        </>
      )}
      {termination && !cancellable && account?.status === 'terminating' && <p class="notice">{t('termination.notYours')}</p>}
    </section>
  );
}
