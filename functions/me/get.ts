import { emailSource } from '#core/caller-email.ts';
import { route } from '#core/http.ts';
import { Profile } from '#core/responses.ts';
import { describeCaller } from '#core/services/me.ts';

/** GET /v1/me — the signed-in user's profile. */
export const handler = route({ auth: true, responses: { 200: Profile } }, async ({ caller }) => ({
  status: 200,
  body: await describeCaller(caller, emailSource(caller)),
}));
