import { route } from '#core/http.ts';
import { InvoicePath } from '#core/path-ids.ts';
import { finalInvoiceDocument } from '#core/services/invoice-documents.ts';

/** GET /v1/organizations/{orgId}/invoices/{invoiceId}/document — the final invoice PDF, once paid (R21). */
export const handler = route(
  { auth: true, problems: [409], request: { path: InvoicePath } },
  async ({ caller, path }) => ({
    status: 200,
    body: await finalInvoiceDocument(caller, path.orgId, path.invoiceId),
  }),
);
