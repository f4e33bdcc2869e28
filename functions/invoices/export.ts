import * as z from 'zod/mini';
import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { invoiceCsv } from '#core/services/invoices.ts';

/** GET /v1/organizations/{orgId}/invoices/export — the invoice history as CSV (R24, *beyond*). */
export const handler = route(
  {
    auth: true,
    request: {
      path: OrgPath,
      query: z.strictObject({ status: z.optional(z.enum(['open', 'paid', 'void'])) }),
    },
  },
  async ({ caller, path, query }) => ({
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="invoices-${path.orgId}.csv"`,
    },
    text: await invoiceCsv(caller, path.orgId, query.status),
  }),
);
