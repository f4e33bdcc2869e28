import { BillingAddressInput } from '#core/entities/billing.ts';
import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { OrgPath } from '#core/path-ids.ts';
import { addBillingAddress } from '#core/services/billing.ts';

/** POST /v1/organizations/{orgId}/billing-addresses — add an address, so invoices go to other people (R20). */
export const handler = route(
  { auth: true, idempotent, request: { path: OrgPath, body: BillingAddressInput } },
  async ({ caller, path, body }) => ({
    status: 201,
    body: await addBillingAddress(caller, path.orgId, body),
  }),
);
