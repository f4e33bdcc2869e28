import * as z from 'zod/mini';
import { requiredEnv } from '#core/config.ts';
import type { Language } from '#core/entities/user.ts';
import { Conflict } from '#core/errors.ts';
import { formatDateTime } from '#core/formats.ts';
import { composeToken, hashSecret, newSecret } from '#core/ids.ts';
import { sendEmail } from '#core/mail/mailer.ts';
import { awaitConfirmation } from '#core/repositories/deletions.ts';
import { CONFIRMATION_DAYS } from '#core/services/deletion-requirements.ts';
import { task } from '../../task.ts';
import { Account, requireDeletion } from './input.ts';

const CONSOLE_URL = requiredEnv('CONSOLE_URL');

/**
 * State AskConfirmation (R28): the legal representative confirms by e-mail link; the link's
 * secret exists only if the e-mail goes, and the step waits for it with its task token.
 */
export const handler = task(
  z.extend(Account, { taskToken: z.string().check(z.minLength(1)) }),
  async (input) => {
    const deletion = await requireDeletion(input.organizationId);
    const language = deletion.requesterLanguage as Language;
    const expiresAt = new Date(Date.now() + CONFIRMATION_DAYS * 86_400_000).toISOString();
    await sendEmail({
      key: `deletion:${input.organizationId}:${deletion.requestedAt}:confirm`,
      to: deletion.requesterEmail,
      template: 'deletionConfirmation',
      language,
      data: { organizationName: deletion.organizationName, expiresAt: formatDateTime(expiresAt, language) },
      link: async () => {
        const secret = newSecret();
        if (!(await awaitConfirmation(input.organizationId, input.taskToken, hashSecret(secret)))) {
          throw new Conflict('The deletion is no longer awaiting confirmation.');
        }
        return `${CONSOLE_URL}/account-deletion/confirm?token=${composeToken(input.organizationId, secret)}`;
      },
    });
  },
);
