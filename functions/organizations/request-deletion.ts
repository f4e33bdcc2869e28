import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { OrgPath } from '#core/path-ids.ts';
import { requestDeletion } from '#core/services/deletion.ts';

/** POST /v1/organizations/{orgId}/deletion — the legal representative asks to delete the account (R27). */
export const handler = route(
  { auth: true, idempotent, problems: [409], request: { path: OrgPath } },
  async ({ caller, path }) => ({
    status: 202,
    body: await requestDeletion(caller, path.orgId),
  }),
);
