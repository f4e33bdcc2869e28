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
import { DEFAULT_STAGES, stageAfter, termRanges } from '../reminders.ts';
import {
  accountWithMembers,
  listDue,
  membershipsOf,
  moveToNextStage,
  profilesOf,
  reminderAccountsOf,
  stagesInUse,
  unrecordReminder,
} from '../repositories/reminders.ts';
import { suppressionsOf } from '../repositories/suppressions.ts';
import { hasBilling } from '../rights.ts';
import { DEFAULT_LANGUAGE } from './me.ts';

const CONSOLE_URL = requiredEnv('CONSOLE_URL');
/** A run also picks up what a missed run of the last days left due (the product keeps its stage). */
const CATCH_UP_DAYS = 7;

function describe(product: Product, language: Language): string {
  const expiry = formatDay(product.expiresOn, language);
  // Stryker disable next-line EqualityOperator,OptionalChaining: equivalent — no stage is 0 (the day itself), and a due product has its next reminder
  const expired = (product.nextReminder?.stage ?? 0) < 0;
  const when = {
    it: expired ? 'scaduto il' : 'scade il',
    en: expired ? 'expired on' : 'expires on',
    fr: expired ? 'échu le' : 'échoit le',
    de: expired ? 'abgelaufen am' : 'läuft ab am',
  }[language];
  return `- ${product.name} (${CATALOG[product.type].label[language]}): ${when} ${expiry}`;
}

export interface ShardInput {
  day: string;
  shard: number;
  /** The last account the shard's previous step worked: this step goes on after it. */
  after?: string;
  /** At most this many accounts (ACCOUNTS_PER_STEP). */
  accountsPerStep: number;
  /** The shard's totals so far (steps before this one). */
  steps?: number;
  due?: number;
  reminded?: number;
  emails?: number;
}

export interface ShardOutcome {
  day: string;
  shard: number;
  /** Steps the shard took so far, this one included. */
  steps: number;
  due: number;
  reminded: number;
  emails: number;
  /** Accounts remain after `after`: the state machine runs the shard's next step. */
  more: boolean;
  after?: string;
  accountsPerStep: number;
}

/** Accounts worked at once within a step: requests in flight, not one account after another. */
const ACCOUNTS_AT_ONCE = 10;

type Next = { stage: number; day: string } | undefined;

/**
 * Step 2, per shard, one slice of accounts at a time: the products due (R26: for each stage in
 * use, the terms that stage makes due today or on a catch-up day, in the term-end index; those
 * whose next reminder falls on one of those days), grouped by account; each due stage is
 * recorded once on its product, then one e-mail per recipient and account lists what was
 * recorded (R25). Re-running sends nothing: a recorded product's next reminder has moved on,
 * and a stage already recorded is refused by the product's own condition. If SES refuses an
 * account's e-mail, its records are taken back and the step fails, so its retry sends them.
 *
 * Requests (issue 16): one GetItem (the stages in use), one Query per range of term ends (two
 * with the default stages); one BatchGetItem (100 keys each) for the accounts (name, stages,
 * billing members), one for those members, one for their profiles and one for their
 * suppressions; per product one conditional UpdateItem (two write units: the item and the
 * term-end index, whose keys it leaves as they are). Accounts are worked ten at a time.
 */
export async function remindShard(input: ShardInput): Promise<ShardOutcome> {
  const after = input.after ?? '';
  const from = addDays(input.day, 1 - CATCH_UP_DAYS);
  const terms = termRanges([...DEFAULT_STAGES, ...(await stagesInUse())], from, input.day);
  const due = (await listDue(input.shard, terms, from, input.day)).filter((p) => p.organizationId > after);
  const byAccount = Map.groupBy(due, (p) => p.organizationId);
  const ids = [...byAccount.keys()].sort();
  const slice = ids.slice(0, input.accountsPerStep);
  const accounts = slice.map((organizationId) => {
    const products = byAccount.get(organizationId) ?? [];
    // Terminated products and stages already sent this term are only moved on.
    return {
      organizationId,
      products,
      fresh: products.filter((p) => !reminderSent(p) && p.status !== 'terminated'),
    };
  });

  const stored = await reminderAccountsOf(slice);
  // Stryker disable next-line MethodExpression: cost only — an account with nothing to send, or without its item, would have its members read and still get no e-mail (nothing listed, no organization)
  const mailing = accounts.filter((a) => a.fresh.length && stored.has(a.organizationId));
  const named = mailing.flatMap((a) =>
    // Stryker disable next-line OptionalChaining,ArrayDeclaration: equivalent — every mailing account is stored; an account without the list is read by the Query below, and a made-up member id reads no membership
    (stored.get(a.organizationId)?.billingMembers ?? []).map((userId) => ({
      organizationId: a.organizationId,
      userId,
    })),
  );
  // Accounts stored before their item named its billing members: one Query of their members.
  const unnamed = mailing.filter((a) => stored.get(a.organizationId)?.billingMembers === undefined);
  const [memberships, queried] = await Promise.all([
    membershipsOf(named),
    mapLimit(unnamed, ACCOUNTS_AT_ONCE, async (a) => (await accountWithMembers(a.organizationId)).members),
  ]);
  // The membership decides: only a member who has billing rights now gets the e-mail (R7).
  const recipients = Map.groupBy(
    [...memberships, ...queried.flat()].filter((m) => hasBilling(m.rights)),
    (m) => m.organizationId,
  );
  const everyone = [...recipients.values()].flat();
  const [profiles, suppressed] = await Promise.all([
    profilesOf(everyone.map((m) => m.userId)),
    suppressionsOf(everyone.map((m) => m.email)),
  ]);

  let emails = 0;
  const failed: string[] = [];
  const outcomes = await mapLimit(accounts, ACCOUNTS_AT_ONCE, async (account) => {
    const organization = stored.get(account.organizationId)?.organization;
    const stages = organization?.reminderStages ?? DEFAULT_STAGES;
    const nextOf = (product: Product): Next =>
      product.nextReminder ? stageAfter(product.expiresOn, stages, product.nextReminder.stage) : undefined;
    // Each stage is recorded first: the product's condition makes it once per term and stage.
    const recorded = await Promise.all(
      account.products.map(async (product) => {
        if (!account.fresh.includes(product)) {
          await moveToNextStage(product, nextOf(product));
          return undefined;
        }
        return (await moveToNextStage(product, nextOf(product), input.day)) ? product : undefined;
      }),
    );
    const listed = recorded.filter((p): p is Product => p !== undefined);
    if (!organization || !listed.length) return listed.length;
    const readers = (recipients.get(account.organizationId) ?? []).filter(
      (m) => profiles.get(m.userId)?.billingNotices !== false,
    );
    try {
      for (const member of readers) {
        const language = (profiles.get(member.userId)?.language as Language | undefined) ?? DEFAULT_LANGUAGE;
        const result = await sendEmail(
          {
            key: null,
            to: member.email,
            template: 'renewalReminder',
            language,
            data: {
              organizationName: organization.name,
              products: listed.map((p) => describe(p, language)).join('\n'),
            },
            link: `${CONSOLE_URL}/organizations/${account.organizationId}/to-pay`,
          },
          { suppression: suppressed.get(member.email.toLowerCase()) },
        );
        if (result === 'sent') emails++;
      }
      return listed.length;
    } catch (error) {
      logger.error('reminder e-mail not sent; its stages are taken back', {
        organizationId: account.organizationId,
        error,
      });
      await Promise.all(listed.map((p) => unrecordReminder(p, nextOf(p), input.day)));
      failed.push(account.organizationId);
      return 0;
    }
  });
  const reminded = outcomes.reduce((sum, n) => sum + n, 0);
  count('RemindersSent', emails);
  if (failed.length)
    throw new Error(`Reminder e-mails of ${failed.length} account(s) not sent; the step's retry sends them.`);
  const more = ids.length > slice.length;
  const outcome: ShardOutcome = {
    day: input.day,
    shard: input.shard,
    steps: (input.steps ?? 0) + 1,
    due: (input.due ?? 0) + accounts.reduce((n, a) => n + a.products.length, 0),
    reminded: (input.reminded ?? 0) + reminded,
    emails: (input.emails ?? 0) + emails,
    more,
    ...(more ? { after: slice.at(-1) } : {}),
    accountsPerStep: input.accountsPerStep,
  };
  logger.info('reminder shard step done', { ...outcome, accounts: slice.length });
  return outcome;
}
