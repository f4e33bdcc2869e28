import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { OrgPath } from '#core/path-ids.ts';
import { createProForma, ProFormaRequest } from '#core/services/invoice-documents.ts';

/** POST /v1/organizations/{orgId}/pro-formas — a pro-forma PDF for iban or qr-bill (R22, R23). */
export const handler = route(
  {
    auth: true,
    idempotent,
    problems: [409],
    request: { path: OrgPath, body: ProFormaRequest },
  },
  async ({ caller, path, body }) => ({ status: 201, body: await createProForma(caller, path.orgId, body) }),
);
