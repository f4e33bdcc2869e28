import { PromoCodeInput } from '#core/entities/billing.ts';
import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { createPromoCode } from '#core/services/billing.ts';

/** POST /v1/staff/promo-codes — create a promo code with its window and limits (R17). */
export const handler = route(
  {
    auth: true,
    idempotent,
    problems: [409],
    staff: true,
    request: { body: PromoCodeInput },
  },
  async ({ body }) => ({
    status: 201,
    body: await createPromoCode(body),
  }),
);
