import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/ui';
import { api } from '../../firebase';
import { addDays, formatDateTime, formatMoney } from '../../time';
import type { SectionProps, StaffAccount } from './account';
import { ActionPanel, useOutcome } from './action-panel';
import { startOfTaipeiDay, taipeiToday } from './dates';

/** Invoices, and recording an invoice, a payment or a void (clause 3.2(b): amounts due block retrieval). */
export function BillingSection(props: SectionProps): JSX.Element {
  const outcome = useOutcome();
  const child = { ...props, onResult: outcome.show };
  const { t } = useTranslation('staff');
  const open = props.account.invoices.filter((i) => i.status === 'open');
  return (
    <section aria-labelledby="billing">
      <h2 id="billing">{t('billing.heading')}</h2>
      {outcome.element}
      <Invoices account={props.account} />
      <RecordInvoice {...child} />
      {open.length === 0 ? <p>{t('billing.noOpen')}</p> : (
        <>
          <Settle {...child} kind="payment" />
          <Settle {...child} kind="void" />
        </>
      )}
    </section>
  );
}

function Invoices({ account }: { account: StaffAccount }): JSX.Element {
  const { t, i18n } = useTranslation('staff');
  if (account.invoices.length === 0) return <p>{t('billing.noInvoices')}</p>;
  return (
    <div class="table-wrap">
      <table class="console-cards" aria-label={t('billing.invoices')}>
        <thead>
          <tr>
            <th scope="col">{t('billing.invoiceId')}</th>
            <th scope="col">{t('billing.amount')}</th>
            <th scope="col">{t('billing.issuedAt')}</th>
            <th scope="col">{t('billing.dueAt')}</th>
            <th scope="col">{t('billing.invoiceStatus')}</th>
            <th scope="col">{t('billing.paidAt')}</th>
          </tr>
        </thead>
        <tbody>
          {account.invoices.map((i) => (
            <tr key={i.invoiceId}>
              <td data-label={t('billing.invoiceId')}><code>{i.invoiceId}</code></td>
              <td data-label={t('billing.amount')}>{formatMoney(i.amount, i.currency, i18n.language)}</td>
              <td data-label={t('billing.issuedAt')}>{formatDateTime(i.issuedAt, i18n.language)}</td>
              <td data-label={t('billing.dueAt')}>{formatDateTime(i.dueAt, i18n.language)}</td>
              <td data-label={t('billing.invoiceStatus')}>{t(`billing.statuses.${i.status}`)}</td>
              <td data-label={t('billing.paidAt')}>{formatDateTime(i.paidAt, i18n.language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RecordInvoice({ account, canAct, reload, onResult }: SectionProps): JSX.Element {
  const { t } = useTranslation('staff');
  const today = taipeiToday();
  const [invoiceId, setInvoiceId] = useState('');
  const [amount, setAmount] = useState('');
  const [issued, setIssued] = useState(today);
  const [due, setDue] = useState(addDays(today, 30));
  return (
    <ActionPanel legend={t('billing.record')} confirm={t('billing.recordConfirm')} disabled={!canAct} ready={invoiceId.trim() !== '' && amount !== '' && issued !== '' && due !== ''} onDone={reload} onResult={onResult}
      run={async () => {
        await api.call('adminRecordInvoice', { uid: account.uid, invoiceId: invoiceId.trim(), amount: Number(amount), currency: 'TWD', issuedAt: startOfTaipeiDay(issued), dueAt: startOfTaipeiDay(due) });
        setInvoiceId('');
        setAmount('');
        return t('billing.recorded');
      }}>
      <Field label={t('billing.invoiceId')}>{(id) => <input id={id} required maxLength={64} autoComplete="off" value={invoiceId} onInput={(e) => setInvoiceId(e.currentTarget.value)} />}</Field>
      <Field label={t('billing.amount')}>{(id) => <input id={id} type="number" inputMode="numeric" min={1} step={1} required value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />}</Field>
      <Field label={t('billing.issuedAt')} hint={t('common.taipeiDate')}>{(id, d) => <input id={id} type="date" aria-describedby={d} required value={issued} onInput={(e) => setIssued(e.currentTarget.value)} />}</Field>
      <Field label={t('billing.dueAt')} hint={t('common.taipeiDate')}>{(id, d) => <input id={id} type="date" aria-describedby={d} required min={issued} value={due} onInput={(e) => setDue(e.currentTarget.value)} />}</Field>
    </ActionPanel>
  );
}

/** Record a payment on, or void, one open invoice the staff member picks. */
function Settle({ account, canAct, reload, onResult, kind }: SectionProps & { kind: 'payment' | 'void' }): JSX.Element {
  const { t, i18n } = useTranslation('staff');
  const open = account.invoices.filter((i) => i.status === 'open');
  const [picked, setPicked] = useState('');
  const [paidOn, setPaidOn] = useState('');
  const invoiceId = open.some((i) => i.invoiceId === picked) ? picked : open[0]?.invoiceId ?? '';
  return (
    <ActionPanel legend={t(kind === 'payment' ? 'billing.payment' : 'billing.void')} confirm={t(kind === 'payment' ? 'billing.paymentConfirm' : 'billing.voidConfirm')} danger={kind === 'void'} disabled={!canAct} ready={invoiceId !== ''} onDone={reload} onResult={onResult}
      run={async () => {
        if (kind === 'void') {
          await api.call('adminVoidInvoice', { uid: account.uid, invoiceId });
          return t('billing.voided');
        }
        await api.call('adminRecordPayment', { uid: account.uid, invoiceId, paidAt: paidOn ? startOfTaipeiDay(paidOn) : null });
        return t('billing.paid');
      }}>
      <Field label={t('billing.pickInvoice')}>
        {(id) => (
          <select id={id} value={invoiceId} onChange={(e) => setPicked(e.currentTarget.value)}>
            {open.map((i) => (
              <option key={i.invoiceId} value={i.invoiceId}>
                {t('billing.invoiceOption', { id: i.invoiceId, amount: formatMoney(i.amount, i.currency, i18n.language), due: formatDateTime(i.dueAt, i18n.language) })}
              </option>
            ))}
          </select>
        )}
      </Field>
      {kind === 'payment' && (
        <Field label={t('billing.paidOn')} hint={t('common.taipeiDate')}>{(id, d) => <input id={id} type="date" aria-describedby={d} value={paidOn} onInput={(e) => setPaidOn(e.currentTarget.value)} />}</Field>
      )}
    </ActionPanel>
  );
}
