import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { optionalEnv, requiredEnv } from '../config.ts';
import type { Language } from '../entities/user.ts';
import { render, type TemplateName } from './templates.ts';

const ses = /* @__PURE__ */ new SESClient({});
const TABLE_NAME = requiredEnv('TABLE_NAME');
const MAIL_FROM = requiredEnv('MAIL_FROM');
const CONFIGURATION_SET = optionalEnv('MAIL_CONFIGURATION_SET');
/** Sent-markers outlive any retry (Lambda, Step Functions, a client resending). */
const MARKER_TTL_SECONDS = 30 * 24 * 3600;

export interface Email {
  /**
   * What makes this e-mail unique (`invitation:<id>:sent:<n>`): sending twice with one key
   * sends once, so a retried step never mails twice.
   */
  key: string;
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
 */
export async function sendEmail(email: Email): Promise<'sent' | 'already-sent'> {
  const marker = { pk: `EMAIL#${email.key}`, sk: 'EMAIL' };
  try {
    await dynamo.send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: {
          ...marker,
          type: 'EmailSent',
          to: email.to,
          template: email.template,
          expiresAt: Math.floor(Date.now() / 1000) + MARKER_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return 'already-sent';
    throw error;
  }
  try {
    const link = typeof email.link === 'function' ? await email.link() : email.link;
    const rendered = render(email.template, email.language, email.data, link);
    await ses.send(
      new SendEmailCommand({
        Source: MAIL_FROM,
        Destination: { ToAddresses: [email.to] },
        ConfigurationSetName: CONFIGURATION_SET,
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
    await dynamo.send(new DeleteCommand({ TableName: TABLE_NAME, Key: marker })).catch(() => undefined);
    throw error;
  }
}
