import * as z from 'zod/mini';
import { verifiedEmailOf } from '#core/caller-email.ts';
import { OrganizationHolder } from '#core/entities/organization.ts';
import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { Currency } from '#core/money.ts';
import { accountView, createOrganization } from '#core/services/organizations.ts';

/** POST /v1/organizations — create a further customer account (R4); the caller is its legal representative. */
export const handler = route(
  {
    auth: true,
    idempotent,
    request: { body: z.strictObject({ holder: OrganizationHolder, currency: z._default(Currency, 'CHF') }) },
  },
  async ({ caller, body }) => {
    const { organization, membership } = await createOrganization(
      caller,
      await verifiedEmailOf(caller),
      body.holder,
      body.currency,
    );
    return { status: 201, body: accountView(organization, membership, null) };
  },
);
