import { CATALOG } from '../catalog.ts';
import { mapLimit } from '../concurrency.ts';
import { requiredEnv } from '../config.ts';
import { addDays } from '../dates.ts';
import { type Product, reminderSent } from '../entities/product.ts';
import type { Language } from '../entities/user.ts';
import { formatDay } from '../formats.ts';
import { logger } from '../logger.ts';
import { sendEmail } from '../mail/mailer.ts';
import { count } from '../metrics.ts';
import { DEFAULT_STAGES, stageAfter } from '../reminders.ts';
import {
  accountWithMembers,
  listDue,
  organizationsOf,
  profilesOf,
  recordReminder,
  skipStage,
} from '../repositories/reminders.ts';
import { suppressionsOf } from '../repositories/suppressions.ts';
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

/** Accounts worked at once within a shard: requests in flight, not one account after another. */
const ACCOUNTS_AT_ONCE = 10;

/**
 * Step 2, per shard: the products due (R26: read from the due-day index, nothing else), grouped
 * by account; one e-mail per recipient and account lists them (R25); each product's stage is
 * then recorded once and the product moves to its next stage. Re-running sends nothing: the
 * products have left the day's partition, and e-mails are keyed per account, day and recipient.
 *
 * Requests (issue 16): the index Queries; per account with something to send, one Query (the
 * account and its members); one BatchGetItem for the shard's recipients' profiles and one for
 * their suppressions (100 keys each); per e-mail its claim; per product one conditional
 * UpdateItem. Accounts are worked ten at a time.
 */
export async function remindShard(input: { day: string; shard: number }): Promise<ShardOutcome> {
  const days = Array.from({ length: CATCH_UP_DAYS }, (_, i) => addDays(input.day, -i));
  const due = (await Promise.all(days.map((d) => listDue(d, input.shard)))).flat();
  const accounts = [...Map.groupBy(due, (p) => p.organizationId)].map(([organizationId, products]) => ({
    organizationId,
    products,
    // Terminated products and stages already sent this term are only moved on.
    fresh: products.filter((p) => !reminderSent(p) && p.status !== 'terminated'),
  }));

  const mailing = accounts.filter((a) => a.fresh.length);
  const read = await mapLimit(mailing, ACCOUNTS_AT_ONCE, async (account) => {
    const { organization, members } = await accountWithMembers(account.organizationId);
    const recipients = members.filter((m) => m.rights.legalRepresentative || hasBilling(m.rights));
    return { ...account, organization, recipients };
  });
  const everyone = read.flatMap((a) => a.recipients);
  const [profiles, suppressed, movedOnly] = await Promise.all([
    profilesOf(everyone.map((m) => m.userId)),
    suppressionsOf(everyone.map((m) => m.email)),
    // The others' stages decide where their products move next.
    organizationsOf(accounts.filter((a) => !a.fresh.length).map((a) => a.organizationId)),
  ]);

  let emails = 0;
  const letters = new Map(read.map((a) => [a.organizationId, a]));
  const outcomes = await mapLimit(accounts, ACCOUNTS_AT_ONCE, async (account) => {
    const letter = letters.get(account.organizationId);
    const organization = letter?.organization;
    if (organization) {
      const recipients = letter.recipients.filter((m) => profiles.get(m.userId)?.billingNotices !== false);
      for (const member of recipients) {
        const language = (profiles.get(member.userId)?.language as Language | undefined) ?? DEFAULT_LANGUAGE;
        const result = await sendEmail(
          {
            key: `reminder:${account.organizationId}:${input.day}:${member.userId}`,
            to: member.email,
            template: 'renewalReminder',
            language,
            data: {
              organizationName: organization.name,
              products: account.fresh.map((p) => describe(p, language)).join('\n'),
            },
            link: `${CONSOLE_URL}/organizations/${account.organizationId}/to-pay`,
          },
          { suppression: suppressed.get(member.email.toLowerCase()) },
        );
        if (result === 'sent') emails++;
      }
    }
    // Only once the e-mails went out: a step that fails before finds its products still due.
    const stages = (organization ?? movedOnly.get(account.organizationId))?.reminderStages ?? DEFAULT_STAGES;
    const done = await Promise.all(
      account.products.map(async (product) => {
        const next = product.nextReminder
          ? stageAfter(product.expiresOn, stages, product.nextReminder.stage)
          : undefined;
        if (!account.fresh.includes(product)) {
          await skipStage(product, next);
          return false;
        }
        return (await recordReminder(product, next, input.day)) === 'done';
      }),
    );
    return done.filter(Boolean).length;
  });
  const reminded = outcomes.reduce((sum, n) => sum + n, 0);
  logger.info('reminder shard done', { ...input, due: due.length, reminded, emails });
  count('RemindersSent', emails);
  return { day: input.day, shard: input.shard, due: due.length, reminded, emails };
}
