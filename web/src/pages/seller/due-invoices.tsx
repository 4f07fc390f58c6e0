import type { JSX } from 'preact';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatMoney } from '../../time';

/** An unpaid invoice past its due date (`billing.dueInvoices`, or AMOUNTS_DUE's `details.invoices`). */
export interface DueInvoice {
  readonly invoiceId: string;
  readonly amount: number;
  readonly currency: string;
  readonly dueAt: string;
}

/** The invoices to pay before content can be retrieved (clause 3.2(b)(ii)), oldest due first. */
export function DueInvoices({ invoices }: { invoices: readonly DueInvoice[] }): JSX.Element | null {
  const { t, i18n } = useTranslation('seller');
  if (invoices.length === 0) return null;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={t('invoices.caption')}>
      <table>
        <caption class="visually-hidden">{t('invoices.caption')}</caption>
        <thead>
          <tr><th scope="col">{t('invoices.id')}</th><th scope="col">{t('invoices.amount')}</th><th scope="col">{t('invoices.dueAt')}</th></tr>
        </thead>
        <tbody>
          {invoices.map((invoice) => (
            <tr key={invoice.invoiceId}>
              <td><code>{invoice.invoiceId}</code></td>
              <td>{formatMoney(invoice.amount, invoice.currency, i18n.language)}</td>
              <td>{formatDateTime(invoice.dueAt, i18n.language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
