import { route } from '#core/http.ts';
import { roleOf } from '#core/rights.ts';
import { OrgPath } from '#core/schemas.ts';
import { logoUrlOf } from '#core/services/logo.ts';
import { getOrganizationAsMember } from '#core/services/organizations.ts';

/** GET /v1/organizations/{orgId} — an account, for its members only (R4). */
export const handler = route({ auth: true, request: { path: OrgPath } }, async ({ caller, path }) => {
  const { organization, membership } = await getOrganizationAsMember(caller, path.orgId);
  const { adminCount: _, logoKey: __, ...visible } = organization;
  return {
    status: 200,
    body: {
      ...visible,
      logoUrl: await logoUrlOf(organization),
      role: roleOf(membership.rights),
      rights: membership.rights,
    },
  };
});
