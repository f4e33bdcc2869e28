import { CreditGrant } from '#core/entities/billing.ts';
import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { OrgPath } from '#core/path-ids.ts';
import { grantCredit } from '#core/services/billing.ts';

/** POST /v1/staff/organizations/{orgId}/credits — support grants a free credit (R16). */
export const handler = route(
  { auth: true, idempotent, staff: true, request: { path: OrgPath, body: CreditGrant } },
  async ({ caller, path, body }) => ({ status: 201, body: await grantCredit(caller, path.orgId, body) }),
);
