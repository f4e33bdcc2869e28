import * as z from 'zod/mini';
import { route } from '#core/http.ts';
import { OrgPath } from '#core/path-ids.ts';
import { ReminderStages } from '#core/reminders.ts';
import { chooseReminderStages } from '#core/services/products.ts';

/** PUT /v1/organizations/{orgId}/reminder-stages — the account's own reminder days, or null for the defaults (R25). */
export const handler = route(
  {
    auth: true,
    request: { path: OrgPath, body: z.strictObject({ stages: z.nullable(ReminderStages) }) },
  },
  async ({ caller, path, body }) => ({
    status: 200,
    body: await chooseReminderStages(caller, path.orgId, body.stages),
  }),
);
