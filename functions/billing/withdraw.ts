import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { OrgPath } from '#core/path-ids.ts';
import { WithdrawalRequest, withdraw } from '#core/services/billing.ts';

/** POST /v1/organizations/{orgId}/prepaid/withdrawals — refund the balance to a bank account (R18). */
export const handler = route(
  {
    auth: true,
    idempotent,
    problems: [409],
    request: { path: OrgPath, body: WithdrawalRequest },
  },
  async ({ caller, path, body }) => ({ status: 201, body: await withdraw(caller, path.orgId, body) }),
);
