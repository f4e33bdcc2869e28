import * as z from 'zod/mini';
import { emailSource } from '#core/caller-email.ts';
import { Language } from '#core/entities/user.ts';
import { route } from '#core/http.ts';
import { updatePreferences } from '#core/services/me.ts';

export const UpdateMeBody = z
  .strictObject({ language: z.optional(Language), billingNotices: z.optional(z.boolean()) })
  .check(z.refine((b) => b.language !== undefined || b.billingNotices !== undefined, 'Nothing to change.'));

/** PATCH /v1/me — change the caller's preferences. */
export const handler = route({ auth: true, request: { body: UpdateMeBody } }, async ({ caller, body }) => ({
  status: 200,
  body: await updatePreferences(caller, body, emailSource(caller)),
}));
