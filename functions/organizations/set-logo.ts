import * as z from 'zod/mini';
import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { Ulid } from '#core/schemas.ts';
import { acceptLogo } from '#core/services/logo.ts';

const UploadId = Ulid;

/** PUT /v1/organizations/{orgId}/logo — check the uploaded file and make it the logo (R6). */
export const handler = route(
  {
    auth: true,
    request: { path: OrgPath, body: z.strictObject({ uploadId: UploadId }) },
  },
  async ({ caller, path, body }) => ({
    status: 200,
    body: await acceptLogo(caller, path.orgId, body.uploadId),
  }),
);
