import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { removeLogo } from '#core/services/logo.ts';

/** DELETE /v1/organizations/{orgId}/logo — show the account's name again (R6). */
export const handler = route({ auth: true, request: { path: OrgPath } }, async ({ caller, path }) => {
  await removeLogo(caller, path.orgId);
  return { status: 204 };
});
