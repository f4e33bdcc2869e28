import { z } from 'zod';
import { OrganizationHolder } from '#core/entities/organization.ts';
import { route } from '#core/http.ts';
import { createOrganization } from '#core/services/organizations.ts';

/** POST /v1/organizations — create a further customer account (R4); the caller is its legal representative. */
export const handler = route(
  { auth: true, request: { body: z.strictObject({ holder: OrganizationHolder }) } },
  async ({ caller, body }) => {
    const { organization, membership } = await createOrganization(caller, body.holder);
    return { status: 201, body: { ...organization, role: 'legalRepresentative', rights: membership.rights } };
  },
);
