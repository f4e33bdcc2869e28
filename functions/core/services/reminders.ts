import { CATALOG } from '../catalog.ts';
import { requiredEnv } from '../config.ts';
import { addDays } from '../dates.ts';
import type { Product } from '../entities/product.ts';
import type { Language } from '../entities/user.ts';
import { formatDay } from '../formats.ts';
import { logger } from '../logger.ts';
import { sendEmail } from '../mail/mailer.ts';
import { count } from '../metrics.ts';
import { DEFAULT_STAGES, stageAfter } from '../reminders.ts';
import { getOrganization, listMembers } from '../repositories/organizations.ts';
import { alreadyReminded, listDue, markReminded, profilesOf, skipStage } from '../repositories/reminders.ts';
import { hasBilling } from '../rights.ts';
import { DEFAULT_LANGUAGE } from './me.ts';

const CONSOLE_URL = requiredEnv('CONSOLE_URL');
/** A run also picks up what a missed run of the last days left due (the index keeps it). */
const CATCH_UP_DAYS = 7;

function describe(product: Product, language: Language): string {
  const expiry = formatDay(product.expiresOn, language);
  const expired = (product.nextReminder?.stage ?? 0) < 0;
  const when = {
    it: expired ? 'scaduto il' : 'scade il',
    en: expired ? 'expired on' : 'expires on',
    fr: expired ? 'échu le' : 'échoit le',
    de: expired ? 'abgelaufen am' : 'läuft ab am',
  }[language];
  return `- ${product.name} (${CATALOG[product.type].label[language]}): ${when} ${expiry}`;
}

export interface ShardOutcome {
  day: string;
  shard: number;
  due: number;
  reminded: number;
  emails: number;
}

/**
 * Step 2, per shard: the products due (R26: read from the due-day index, nothing else), grouped
 * by account; one e-mail per recipient and account lists them (R25); each product's stage is
 * then recorded once and the product moves to its next stage. Re-running sends nothing: the
 * products have left the day's partition, and e-mails are keyed per account, day and recipient.
 */
export async function remindShard(input: { day: string; shard: number }): Promise<ShardOutcome> {
  const days = Array.from({ length: CATCH_UP_DAYS }, (_, i) => addDays(input.day, -i));
  const due = (await Promise.all(days.map((d) => listDue(d, input.shard)))).flat();
  const byAccount = Map.groupBy(due, (p) => p.organizationId);
  let reminded = 0;
  let emails = 0;
  for (const [organizationId, products] of byAccount) {
    const organization = await getOrganization(organizationId);
    const stages = organization?.reminderStages ?? DEFAULT_STAGES;
    const sent = await alreadyReminded(products);
    const fresh = products.filter((p) => !sent.has(p.productId) && p.status !== 'terminated');
    if (organization && fresh.length) {
      const members = (await listMembers(organizationId)).filter(
        (m) => m.rights.legalRepresentative || hasBilling(m.rights),
      );
      const profiles = await profilesOf(members.map((m) => m.userId));
      const recipients = members.filter((m) => profiles.get(m.userId)?.billingNotices !== false);
      for (const member of recipients) {
        const language = (profiles.get(member.userId)?.language as Language | undefined) ?? DEFAULT_LANGUAGE;
        const result = await sendEmail({
          key: `reminder:${organizationId}:${input.day}:${member.userId}`,
          to: member.email,
          template: 'renewalReminder',
          language,
          data: {
            organizationName: organization.name,
            products: fresh.map((p) => describe(p, language)).join('\n'),
          },
          link: `${CONSOLE_URL}/organizations/${organizationId}/to-pay`,
        });
        if (result === 'sent') emails++;
      }
    }
    for (const product of products) {
      const next = product.nextReminder
        ? stageAfter(product.expiresOn, stages, product.nextReminder.stage)
        : undefined;
      const outcome = sent.has(product.productId)
        ? await skipStage(product, next)
        : await markReminded(product, next);
      if (outcome === 'done') reminded++;
    }
  }
  logger.info('reminder shard done', { ...input, due: due.length, reminded, emails });
  count('RemindersSent', emails);
  return { day: input.day, shard: input.shard, due: due.length, reminded, emails };
}
