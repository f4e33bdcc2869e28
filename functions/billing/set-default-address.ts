import * as z from 'zod/mini';
import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { Ulid } from '#core/schemas.ts';
import { chooseDefaultAddress } from '#core/services/billing.ts';

/** PUT /v1/organizations/{orgId}/default-billing-address — the address orders use unless told otherwise (R20). */
export const handler = route(
  {
    auth: true,
    problems: [409],
    request: { path: OrgPath, body: z.strictObject({ addressId: Ulid }) },
  },
  async ({ caller, path, body }) => ({
    status: 200,
    body: await chooseDefaultAddress(caller, path.orgId, body.addressId),
  }),
);
