import * as z from 'zod/mini';
import { LOGO_RULES } from '#core/entities/logo.ts';
import { route } from '#core/http.ts';
import { idempotent } from '#core/idempotency.ts';
import { OrgPath } from '#core/path-ids.ts';
import { startLogoUpload } from '#core/services/logo.ts';

const File = z.strictObject({
  contentType: z.enum(LOGO_RULES.types),
  size: z.int().check(z.positive(), z.lte(LOGO_RULES.maxBytes)),
});

/** POST /v1/organizations/{orgId}/logo/uploads — a presigned URL to upload a logo to (R6). */
export const handler = route(
  { auth: true, idempotent, request: { path: OrgPath, body: File } },
  async ({ caller, path, body }) => ({ status: 201, body: await startLogoUpload(caller, path.orgId, body) }),
);
