import * as z from 'zod/mini';
import { ProductType } from '../catalog.ts';
import { checkProductName } from '../domain-names.ts';
import { BillingAddressInput, PaymentMethod } from '../entities/billing.ts';
import { OrganizationHolder } from '../entities/organization.ts';
import { Currency } from '../money.ts';
import { Ulid } from '../schemas.ts';

/** A cart (R15): items, payment method, billing address, and a promo code entered last (R17). */
export const OrderRequest = z
  .strictObject({
    organizationId: z.optional(Ulid),
    /** For a first order without an account: the account is created in the same step (R3). */
    newAccount: z.optional(
      z.strictObject({ holder: OrganizationHolder, currency: z._default(Currency, 'CHF') }),
    ),
    items: z
      .array(
        z.pipe(
          z.strictObject({
            type: ProductType,
            name: z.string().check(z.minLength(1), z.maxLength(253)),
            periodMonths: z.int().check(z.gte(1), z.lte(120)),
            creditId: z.optional(Ulid),
          }),
          z.transform((item, ctx) => {
            const checked = checkProductName(item.type, item.name);
            if (checked.ok) return { ...item, name: checked.name };
            // Stryker disable next-line StringLiteral: equivalent — a problem names the pointer and the message, not zod's code
            ctx.issues.push({ code: 'custom', path: ['name'], message: checked.detail, input: item.name });
            return z.NEVER;
          }),
        ),
      )
      .check(z.minLength(1), z.maxLength(20)),
    paymentMethod: PaymentMethod,
    billingAddressId: z.optional(Ulid),
    billingAddress: z.optional(BillingAddressInput),
    promoCode: z.optional(
      z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[A-Z0-9-]{3,32}$/, 'Not a promo code.')),
    ),
  })
  .check(
    z.superRefine((order, ctx) => {
      const seen = new Set<string>();
      order.items.forEach((item, i) => {
        // Stryker disable next-line MethodExpression: equivalent — upper case compares the names as well
        const key = `${item.type}:${item.name.toLowerCase()}`;
        if (seen.has(key)) {
          ctx.addIssue({
            // Stryker disable next-line StringLiteral: equivalent — a problem names the pointer and the message, not zod's code
            code: 'custom',
            path: ['items', i, 'name'],
            message: 'This product is already in the order.',
          });
        }
        seen.add(key);
      });
      if ((order.organizationId === undefined) === (order.newAccount === undefined)) {
        ctx.addIssue({
          // Stryker disable next-line StringLiteral: equivalent — a problem names the pointer and the message, not zod's code
          code: 'custom',
          path: ['organizationId'],
          message: 'Give organizationId or newAccount, not both.',
        });
      }
      if (order.billingAddressId && order.billingAddress) {
        ctx.addIssue({
          // Stryker disable next-line StringLiteral: equivalent — a problem names the pointer and the message, not zod's code
          code: 'custom',
          path: ['billingAddress'],
          message: 'Give billingAddressId or billingAddress, not both.',
        });
      }
      if (order.newAccount && !order.billingAddress) {
        ctx.addIssue({
          // Stryker disable next-line StringLiteral: equivalent — a problem names the pointer and the message, not zod's code
          code: 'custom',
          path: ['billingAddress'],
          message: 'A first order needs a billing address.',
        });
      }
    }),
  );
export type OrderRequest = z.infer<typeof OrderRequest>;
