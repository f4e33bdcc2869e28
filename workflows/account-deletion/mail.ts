import type { Language } from '#core/entities/user.ts';
import { sendEmail } from '#core/mail/mailer.ts';
import type { TemplateName } from '#core/mail/templates.ts';
import type { Deletion } from '#core/repositories/deletions.ts';

/**
 * How a deletion ended, told to who asked for it, in their language; once per outcome (the
 * key), so a retried step does not mail twice. `data` is worded in that language.
 */
export async function tellRequester(
  deletion: Deletion,
  outcome: string,
  template: TemplateName,
  data: (language: Language) => Record<string, string>,
): Promise<void> {
  const language = deletion.requesterLanguage as Language;
  await sendEmail({
    key: `deletion:${deletion.organizationId}:${deletion.requestedAt}:${outcome}`,
    to: deletion.requesterEmail,
    template,
    language,
    data: { organizationName: deletion.organizationName, ...data(language) },
  });
}
