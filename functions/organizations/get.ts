import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { logoUrlOf } from '#core/services/logo-url.ts';
import { accountView, getOrganizationAsMember } from '#core/services/organizations.ts';

/** GET /v1/organizations/{orgId} — an account, for its members only (R4). */
export const handler = route({ auth: true, request: { path: OrgPath } }, async ({ caller, path }) => {
  const { organization, membership } = await getOrganizationAsMember(caller, path.orgId);
  return { status: 200, body: accountView(organization, membership, await logoUrlOf(organization)) };
});
