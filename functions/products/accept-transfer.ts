import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { TransferPath } from '#core/path-ids.ts';
import { acceptTransfer } from '#core/services/products.ts';

/** POST /v1/organizations/{orgId}/product-transfers/{transferId}/acceptance — an admin of the target accepts (R13). */
export const handler = route(
  {
    auth: true,
    idempotent,
    problems: [409],
    request: { path: TransferPath },
  },
  async ({ caller, path }) => ({
    status: 200,
    body: await acceptTransfer(caller, path.orgId, path.transferId),
  }),
);
