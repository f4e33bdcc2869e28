import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { optionalEnv, requiredEnv } from '../config.ts';
import type { Suppression } from '../entities/suppression.ts';
import type { Language } from '../entities/user.ts';
import { logger } from '../logger.ts';
import { claimEmail, releaseEmail } from '../repositories/email-markers.ts';
import { getSuppression } from '../repositories/suppressions.ts';
import { render, type TemplateName } from './templates.ts';

const ses = /* @__PURE__ */ new SESClient({});

export interface Email {
  /**
   * What makes this e-mail unique (`invitation:<id>:sent:<n>`): sending twice with one key
   * sends once, so a retried step never mails twice. Null when the caller's own conditional
   * write already made the e-mail once-only (the reminder run's product records).
   */
  key: string | null;
  to: string;
  template: TemplateName;
  language: Language;
  data: Record<string, string>;
  /**
   * The call-to-action link, or a function making it. The function runs only once the key is
   * claimed, so a secret it creates is made exactly for the e-mail that is sent.
   */
  link?: string | (() => Promise<string>);
}

/**
 * Sends one templated e-mail through SES, at most once per key: a conditional put of a
 * marker item claims the key first; if SES then fails, the marker is removed so a retry sends.
 * Nothing goes to an address SES reported as undeliverable or complaining (issue 15): sending
 * on would cost the stage's sending reputation; the account's admins see why.
 */
export async function sendEmail(
  email: Email,
  /** The address's suppression, when the caller read it already (in bulk, for many e-mails). */
  known?: { suppression: Suppression | undefined },
): Promise<'sent' | 'already-sent' | 'suppressed'> {
  const suppressed = known ? known.suppression : await getSuppression(email.to);
  if (suppressed) {
    logger.warn('e-mail to a suppressed address not sent', { template: email.template, ...suppressed });
    return 'suppressed';
  }
  if (email.key !== null && !(await claimEmail(email.key, email.to, email.template))) return 'already-sent';
  try {
    const link = typeof email.link === 'function' ? await email.link() : email.link;
    const rendered = render(email.template, email.language, email.data, link);
    await ses.send(
      new SendEmailCommand({
        // Read where used: a function that only shares a module with a sender needs no sender's settings.
        Source: requiredEnv('MAIL_FROM'),
        Destination: { ToAddresses: [email.to] },
        ConfigurationSetName: optionalEnv('MAIL_CONFIGURATION_SET'),
        Message: {
          Subject: { Data: rendered.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: rendered.text, Charset: 'UTF-8' },
            Html: { Data: rendered.html, Charset: 'UTF-8' },
          },
        },
      }),
    );
    return 'sent';
  } catch (error) {
    if (email.key !== null) await releaseEmail(email.key).catch(() => undefined);
    throw error;
  }
}
