import type { Caller } from '../caller.ts';
import { requiredEnv } from '../config.ts';
import { Conflict, Forbidden, Gone, PreconditionFailed } from '../errors.ts';
import { hashSecret, newId, splitToken } from '../ids.ts';
import { confirm, type Deletion, putDeletion } from '../repositories/deletions.ts';
import { resumeTask, startWorkflow } from '../workflows.ts';
import { CONFIRMATION_DAYS, deletionRequirements } from './deletion-requirements.ts';
import { languageOf } from './me.ts';
import { requireMember } from './organizations.ts';

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
  const [organizationId, secret] = splitToken(token, 2) as [string, string];
  const taskToken = await confirm(organizationId, hashSecret(secret));
  if (!taskToken) throw new Gone('This link is no longer valid.');
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent — the state machine keeps the answer ($.confirmation) and reads nothing of it
  await resumeTask(taskToken, { confirmed: true });
  return { status: 'confirmed' as const };
}
