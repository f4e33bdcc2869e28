import { requiredEnv } from '../config.ts';
import { addDays, today } from '../dates.ts';
import type { Language } from '../entities/user.ts';
import {
  Conflict,
  Forbidden,
  Gone,
  PreconditionFailed,
  type UnmetRequirement,
  ValidationFailed,
} from '../errors.ts';
import type { Caller } from '../http.ts';
import { composeToken, hashSecret, newId, newSecret, splitToken } from '../ids.ts';
import { sendEmail } from '../mail/mailer.ts';
import { formatDate } from '../mail/templates.ts';
import { formatMoney } from '../money.ts';
import {
  awaitConfirmation,
  confirm,
  type Deletion,
  getDeletion,
  markAccountDeleted,
  markArchived,
  putDeletion,
  removeAccess,
  removePersonalData,
  setDeletionStatus,
} from '../repositories/deletions.ts';
import { deleteObject, writeObject } from '../repositories/documents.ts';
import { getAccountForBilling, listInvoices } from '../repositories/invoices.ts';
import { listProducts } from '../repositories/products.ts';
import { resumeTask, startWorkflow } from '../workflows.ts';
import { languageOf } from './me.ts';
import { requireMember } from './organizations.ts';

const CONSOLE_URL = requiredEnv('CONSOLE_URL');
/** How long invoices are kept after an account is deleted (*beyond*: Swiss law, 10 years). */
export const RETENTION_YEARS = 10;
/** How long the confirmation link waits. */
export const CONFIRMATION_DAYS = 7;

/** R27: what stands between the account and its deletion; empty when nothing does. */
export async function deletionRequirements(organizationId: string): Promise<UnmetRequirement[]> {
  const [products, account, open] = await Promise.all([
    listProducts(organizationId),
    getAccountForBilling(organizationId),
    listInvoices(organizationId, { status: 'open', limit: 100 }),
  ]);
  const unmet: UnmetRequirement[] = [];
  const live = products.filter((p) => p.status !== 'terminated');
  if (live.length) {
    unmet.push({
      code: 'products-not-terminated',
      detail: `Terminate every product first: ${live.map((p) => p.name).join(', ')}.`,
    });
  }
  if (account && account.prepaidBalance !== 0) {
    unmet.push({
      code: 'prepaid-balance',
      detail: `Withdraw the prepaid balance first (${formatMoney(account.prepaidBalance, account.currency)}).`,
    });
  }
  if (open.items.length) {
    unmet.push({
      code: 'open-invoices',
      detail: `Settle the open invoices first: ${open.items.map((i) => i.number).join(', ')}.`,
    });
  }
  return unmet;
}

/** R27: only the legal representative asks; every unmet requirement is listed (409). */
export async function requestDeletion(caller: Caller, organizationId: string) {
  const member = await requireMember(caller, organizationId);
  if (!member.rights.legalRepresentative) {
    throw new Forbidden('Only the legal representative may ask to delete the account.');
  }
  const unmet = await deletionRequirements(organizationId);
  if (unmet.length) throw new PreconditionFailed(unmet, 'The account cannot be deleted yet.');
  const deletion: Deletion = {
    organizationId,
    organizationName: member.organizationName,
    status: 'awaiting-confirmation',
    requestedBy: caller.userId,
    requesterEmail: member.email,
    requesterLanguage: await languageOf(caller.userId),
    requestedAt: new Date().toISOString(),
  };
  if (!(await putDeletion(deletion))) throw new Conflict('A deletion of this account is already under way.');
  await startWorkflow(requiredEnv('ACCOUNT_DELETION_WORKFLOW_ARN'), `${organizationId}-${newId()}`, {
    organizationId,
    confirmationSeconds: CONFIRMATION_DAYS * 86_400,
  });
  return { status: deletion.status, detail: `A confirmation link was sent to ${member.email}.` };
}

/** The link of the confirmation e-mail (R28): works once, while the workflow waits. */
export async function confirmDeletion(token: string) {
  const parts = splitToken(token, 2);
  if (!parts) throw new ValidationFailed([{ pointer: '/body/token', detail: 'Not a valid link token.' }]);
  const [organizationId, secret] = parts as [string, string];
  const taskToken = await confirm(organizationId, hashSecret(secret));
  if (!taskToken) throw new Gone('This link is no longer valid.');
  await resumeTask(taskToken, { confirmed: true });
  return { status: 'confirmed' as const };
}

// ---- Steps of the account-deletion workflow (each idempotent, retried) -----------------------

export class PreconditionsUnmet extends Error {
  override name = 'PreconditionsUnmet';
}

async function requireDeletion(organizationId: string): Promise<Deletion> {
  const deletion = await getDeletion(organizationId);
  if (!deletion) throw new Error(`No deletion for ${organizationId}`);
  return deletion;
}

/** Re-checks R27 (before asking, and again once confirmed). */
export async function recheckStep(input: { organizationId: string }) {
  const unmet = await deletionRequirements(input.organizationId);
  if (unmet.length) throw new PreconditionsUnmet(unmet.map((u) => u.detail).join(' '));
  return { ok: true };
}

/** Asks the legal representative to confirm by e-mail link; the link's secret exists only if the e-mail goes. */
export async function askConfirmationStep(input: { organizationId: string; taskToken: string }) {
  const deletion = await requireDeletion(input.organizationId);
  const language = deletion.requesterLanguage as Language;
  const expiresAt = new Date(Date.now() + CONFIRMATION_DAYS * 86_400_000).toISOString();
  await sendEmail({
    key: `deletion:${input.organizationId}:${deletion.requestedAt}:confirm`,
    to: deletion.requesterEmail,
    template: 'deletionConfirmation',
    language,
    data: { organizationName: deletion.organizationName, expiresAt: formatDate(expiresAt, language) },
    link: async () => {
      const secret = newSecret();
      if (!(await awaitConfirmation(input.organizationId, input.taskToken, hashSecret(secret)))) {
        throw new Conflict('The deletion is no longer awaiting confirmation.');
      }
      return `${CONSOLE_URL}/account-deletion/confirm?token=${composeToken(input.organizationId, secret)}`;
    },
  });
}

export async function removeAccessStep(input: { organizationId: string }) {
  return { removed: await removeAccess(input.organizationId) };
}

export async function removePersonalDataStep(input: { organizationId: string }) {
  const account = await getAccountForBilling(input.organizationId);
  if (account?.logoKey) await deleteObject(account.logoKey);
  await removePersonalData(input.organizationId);
  return { logo: Boolean(account?.logoKey) };
}

/** Invoices are kept, read-only, for the retention period: a JSON copy below archive/ and a mark on each. */
export async function archiveInvoicesStep(input: { organizationId: string }) {
  const until = addDays(today(), RETENTION_YEARS * 365 + Math.floor(RETENTION_YEARS / 4));
  let cursor: string | undefined;
  let archived = 0;
  do {
    const page = await listInvoices(input.organizationId, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const invoice of page.items) {
      await writeObject(
        `archive/${input.organizationId}/${invoice.invoiceId}.json`,
        Buffer.from(JSON.stringify({ ...invoice, archivedUntil: until })),
        'application/json',
      );
      await markArchived(input.organizationId, `INVOICE#${invoice.invoiceId}`, until);
      archived++;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { archived, until };
}

/** The account is gone; the legal representative gets the final e-mail. */
export async function finishStep(input: { organizationId: string }) {
  const deletion = await requireDeletion(input.organizationId);
  await markAccountDeleted(input.organizationId);
  await setDeletionStatus(input.organizationId, 'deleted');
  const language = deletion.requesterLanguage as Language;
  await sendEmail({
    key: `deletion:${input.organizationId}:${deletion.requestedAt}:deleted`,
    to: deletion.requesterEmail,
    template: 'accountDeleted',
    language,
    data: {
      organizationName: deletion.organizationName,
      retainedUntil: addDays(today(), RETENTION_YEARS * 365 + Math.floor(RETENTION_YEARS / 4)),
    },
  });
}

/** A requirement no longer holds, or nobody confirmed: the account stays. */
export async function endStep(input: { organizationId: string; outcome: 'cancelled' | 'expired' }) {
  const deletion = await requireDeletion(input.organizationId);
  await setDeletionStatus(input.organizationId, input.outcome);
  if (input.outcome === 'cancelled') {
    const unmet = await deletionRequirements(input.organizationId);
    await sendEmail({
      key: `deletion:${input.organizationId}:${deletion.requestedAt}:cancelled`,
      to: deletion.requesterEmail,
      template: 'deletionCancelled',
      language: deletion.requesterLanguage as Language,
      data: {
        organizationName: deletion.organizationName,
        reason: unmet.map((u) => u.detail).join(' ') || 'a requirement was not met.',
      },
    });
  }
}
