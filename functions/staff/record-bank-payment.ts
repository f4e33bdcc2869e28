import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { BankPayment, recordBankPayment } from '#core/services/payments.ts';

/** POST /v1/staff/bank-payments — the bank reconciliation import, one payment at a time (R15). */
export const handler = route(
  {
    auth: true,
    idempotent,
    problems: [409],
    staff: true,
    request: { body: BankPayment },
  },
  async ({ body }) => ({
    status: 200,
    body: await recordBankPayment(body),
  }),
);
