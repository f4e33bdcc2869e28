import { emailSource } from '#core/caller-email.ts';
import { route } from '#core/http.ts';
import { describeCaller } from '#core/services/me.ts';

/** GET /v1/me — the signed-in user's profile. */
export const handler = route({ auth: true }, async ({ caller }) => ({
  status: 200,
  body: await describeCaller(caller, emailSource(caller)),
}));
