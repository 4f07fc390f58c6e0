import type { z } from 'zod';
import type { Deps } from '../deps';
import { voidInvoiceInput, type InvoiceView, type VoidInvoiceInput } from './schema';
import { settleInvoice } from './settle';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';

/** Staff cancel an invoice issued in error: it is no longer owed. */
export async function adminVoidInvoice(deps: Deps, caller: Caller, input: VoidInvoiceInput): Promise<InvoiceView> {
  return (await settleInvoice(deps, caller, input.uid, input.invoiceId, { status: 'void' })).view;
}

/** `adminVoidInvoice({uid, invoiceId})` → the invoice. Admins only. */
export const adminVoidInvoiceSpec: SignedInCallableSpec<VoidInvoiceInput, InvoiceView, z.input<typeof voidInvoiceInput>> = {
  auth: 'required',
  roles: ['admin'],
  input: voidInvoiceInput,
  handler: (deps, input, { caller }) => adminVoidInvoice(deps, caller, input),
};
