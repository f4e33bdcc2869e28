import { BillingAddressInput } from '#core/entities/billing.ts';
import { route } from '#core/http.ts';
import { AddressPath } from '#core/path-ids.ts';
import { editBillingAddress } from '#core/services/billing.ts';

/** PUT /v1/organizations/{orgId}/billing-addresses/{addressId} — edit; issued invoices keep their copy (R20). */
export const handler = route(
  {
    auth: true,
    problems: [409],
    request: { path: AddressPath, body: BillingAddressInput },
  },
  async ({ caller, path, body }) => ({
    status: 200,
    body: await editBillingAddress(caller, path.orgId, path.addressId, body),
  }),
);
