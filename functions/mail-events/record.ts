import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger } from '#core/logger.ts';
import { PARSE } from '#core/parse-options.ts';
import { recordSuppression } from '#core/repositories/suppressions.ts';

/**
 * SES's events of the configuration set, through the stage's mail-events topic (issue 15): a
 * permanent bounce or a complaint suppresses the address, so that no e-mail goes to it any
 * more (functions/core/mail/mailer.ts). Transient bounces (a full mailbox) suppress nothing.
 * An event SES sends for a configuration set names its kind in `eventType`; an identity's
 * notification in `notificationType`: both are read.
 */
const Recipients = z.array(z.object({ emailAddress: z.string() }));
const SesEvent = z.object({
  eventType: z.optional(z.string()),
  notificationType: z.optional(z.string()),
  bounce: z.optional(
    z.object({ bounceType: z.string(), bouncedRecipients: Recipients, timestamp: z.string() }),
  ),
  complaint: z.optional(z.object({ complainedRecipients: Recipients, timestamp: z.string() })),
});

export function suppressionsIn(
  message: unknown,
): { address: string; reason: 'bounce' | 'complaint'; at: string }[] {
  const parsed = SesEvent.safeParse(message, PARSE);
  if (!parsed.success) return [];
  const { bounce, complaint } = parsed.data;
  const kind = parsed.data.eventType ?? parsed.data.notificationType;
  if (kind === 'Bounce' && bounce?.bounceType === 'Permanent') {
    return bounce.bouncedRecipients.map((r) => ({
      address: r.emailAddress,
      reason: 'bounce',
      at: bounce.timestamp,
    }));
  }
  if (kind === 'Complaint' && complaint) {
    return complaint.complainedRecipients.map((r) => ({
      address: r.emailAddress,
      reason: 'complaint',
      at: complaint.timestamp,
    }));
  }
  return [];
}

export const handler = middy<SNSEvent, void, Error, Context>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    for (const record of event.Records ?? []) {
      let message: unknown;
      try {
        message = JSON.parse(record.Sns.Message);
      } catch {
        logger.warn('mail event is not JSON', { messageId: record.Sns.MessageId });
        continue;
      }
      for (const { address, reason, at } of suppressionsIn(message)) {
        await recordSuppression(address, reason, at);
        logger.info('address suppressed', { reason });
      }
    }
  });
