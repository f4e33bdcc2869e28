import * as z from 'zod';
import {
  archiveInvoicesStep,
  askConfirmationStep,
  endStep,
  finishStep,
  recheckStep,
  removeAccessStep,
  removePersonalDataStep,
} from '#core/services/deletion.ts';

/** Task handlers of the account-deletion workflow (R28). */
const Account = z.object({ organizationId: z.string().min(1) });

export const recheck = async (event: unknown) => recheckStep(Account.parse(event));
export const ask = async (event: unknown) =>
  askConfirmationStep(Account.extend({ taskToken: z.string().min(1) }).parse(event));
export const removeAccess = async (event: unknown) => removeAccessStep(Account.parse(event));
export const removePersonalData = async (event: unknown) => removePersonalDataStep(Account.parse(event));
export const archiveInvoices = async (event: unknown) => archiveInvoicesStep(Account.parse(event));
export const finish = async (event: unknown) => finishStep(Account.parse(event));
export const end = async (event: unknown) =>
  endStep(Account.extend({ outcome: z.enum(['cancelled', 'expired']) }).parse(event));
