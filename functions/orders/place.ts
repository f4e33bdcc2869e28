import * as z from 'zod';
import { emailSource } from '#core/caller-email.ts';
import { route } from '#core/http.ts';
import { OrderRequest } from '#core/services/order-request.ts';
import { placeOrder } from '#core/services/orders.ts';

const Headers = z.object({
  'idempotency-key': z
    .string({
      error: 'An Idempotency-Key header is required: a retry with the same key places the order once.',
    })
    .min(8)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, 'Letters, digits, - and _.'),
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
