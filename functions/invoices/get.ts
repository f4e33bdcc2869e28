import { route } from '#core/http.ts';
import { InvoicePath } from '#core/path-ids.ts';
import { getAccountInvoice } from '#core/services/invoices.ts';

/** GET /v1/organizations/{orgId}/invoices/{invoiceId} — one invoice with its lines and billing address (R21). */
export const handler = route({ auth: true, request: { path: InvoicePath } }, async ({ caller, path }) => ({
  status: 200,
  body: await getAccountInvoice(caller, path.orgId, path.invoiceId),
}));
