import * as z from 'zod';
import { ProductType } from '../catalog.ts';
import { checkProductName } from '../domain-names.ts';
import { BillingAddressInput, PaymentMethod } from '../entities/billing.ts';
import { OrganizationHolder } from '../entities/organization.ts';
import { Currency } from '../money.ts';
import { Ulid } from '../schemas.ts';

/** A cart (R15): items, payment method, billing address, and a promo code entered last (R17). */
export const OrderRequest = z
  .strictObject({
    organizationId: Ulid.optional(),
    /** For a first order without an account: the account is created in the same step (R3). */
    newAccount: z.strictObject({ holder: OrganizationHolder, currency: Currency.default('CHF') }).optional(),
    items: z
      .array(
        z
          .strictObject({
            type: ProductType,
            name: z.string().min(1).max(253),
            periodMonths: z.number().int().min(1).max(120),
            creditId: Ulid.optional(),
          })
          .transform((item, ctx) => {
            const checked = checkProductName(item.type, item.name);
            if (checked.ok) return { ...item, name: checked.name };
            // Stryker disable next-line StringLiteral: equivalent — a problem names the pointer and the message, not zod's code
            ctx.issues.push({ code: 'custom', path: ['name'], message: checked.detail, input: item.name });
            return z.NEVER;
          }),
      )
      .min(1)
      .max(20),
    paymentMethod: PaymentMethod,
    billingAddressId: Ulid.optional(),
    billingAddress: BillingAddressInput.optional(),
    promoCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9-]{3,32}$/, 'Not a promo code.')
      .optional(),
  })
  .superRefine((order, ctx) => {
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
  });
export type OrderRequest = z.infer<typeof OrderRequest>;
