import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { InvoiceQuery, invoiceHistory } from '#core/services/invoice-history.ts';

/** GET /v1/organizations/{orgId}/invoices?status=&limit=&cursor= — newest first, paginated (R24). */
export const handler = route(
  { auth: true, request: { path: OrgPath, query: InvoiceQuery } },
  async ({ caller, path, query }) => ({ status: 200, body: await invoiceHistory(caller, path.orgId, query) }),
);
