import * as z from 'zod/mini';
import { PARSE } from '#core/parse-options.ts';
import { OrderRequest } from '#core/services/order-request.ts';
import { type FloorEvent, orderRequests } from './order-requests.ts';

/** The same floor after parsing the order's body with its request schema, as the route does. */
export const handler = async (event: FloorEvent) => {
  z.parse(OrderRequest, event.body, PARSE);
  await orderRequests(event);
};
