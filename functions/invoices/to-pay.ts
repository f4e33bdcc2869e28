import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { toPay } from '#core/services/invoices.ts';

/** GET /v1/organizations/{orgId}/to-pay — products due for renewal and open invoices (R23). */
export const handler = route({ auth: true, request: { path: OrgPath } }, async ({ caller, path }) => ({
  status: 200,
  body: await toPay(caller, path.orgId),
}));
