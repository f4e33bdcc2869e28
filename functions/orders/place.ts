import * as z from 'zod/mini';
import { emailSource } from '#core/caller-email.ts';
import { route } from '#core/http.ts';
import { idempotencyKey } from '#core/idempotency.ts';
import { OrderRequest } from '#core/services/order-request.ts';
import { placeOrder } from '#core/services/orders.ts';

const Headers = z.object({
  'idempotency-key': idempotencyKey(
    z.string({
      error: 'An Idempotency-Key header is required: a retry with the same key places the order once.',
    }),
  ),
});

/** POST /v1/orders — place an order (R15); the first one creates the account (R3). */
export const handler = route(
  {
    auth: true,
    problems: [409],
    request: { headers: Headers, body: OrderRequest },
  },
  async ({ caller, headers, body }) => ({
    status: 201,
    body: await placeOrder(caller, body, headers['idempotency-key'], emailSource(caller)),
  }),
);
