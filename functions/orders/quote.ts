import { route } from '#core/http.ts';
import { OrderRequest } from '#core/services/order-request.ts';
import { quote } from '#core/services/orders.ts';

/** POST /v1/orders/quote — the cart's prices, discounts and usable credits per item; nothing is ordered. */
export const handler = route({ auth: true, request: { body: OrderRequest } }, async ({ caller, body }) => ({
  status: 200,
  body: await quote(caller, body),
}));
