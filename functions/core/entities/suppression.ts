import * as z from 'zod/mini';

/** Why no e-mail goes to an address any more, as the account's admins see it (issue 15). */
export const Suppression = /* @__PURE__ */ z.object({
  reason: z
    .enum(['bounce', 'complaint'])
    .check(z.describe('A permanent bounce, or the recipient reported spam.')),
  since: z.string().check(z.describe('When SES first reported it.')),
});
export type Suppression = z.infer<typeof Suppression>;

/**
 * An address SES reported as undeliverable (a permanent bounce) or as complaining: no e-mail
 * goes to it any more. pk = SUPPRESSED#<address>, sk = MAIL.
 */
export const suppressionKeys = (address: string) => ({
  pk: `SUPPRESSED#${address.toLowerCase()}`,
  sk: 'MAIL',
});
