import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { AuditQuery, auditLog } from '#core/services/audit-log.ts';

/** GET /v1/organizations/{orgId}/audit-log?action=&member=&limit=&cursor= — admins only, newest first. */
export const handler = route(
  { auth: true, request: { path: OrgPath, query: AuditQuery } },
  async ({ caller, path, query }) => ({ status: 200, body: await auditLog(caller, path.orgId, query) }),
);
