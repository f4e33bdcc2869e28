import * as z from 'zod';
import {
  confirmAcceptanceStep,
  expireStep,
  notifyInviterStep,
  sendInvitationStep,
} from '#core/services/invitations.ts';

/**
 * The task handlers of the invitation workflow (one Lambda function per step, each exporting
 * its handler from here). Inputs are checked: a malformed input is a bug, not a retry case.
 */
const Ref = z.object({ organizationId: z.string().min(1), invitationId: z.string().min(1) });

export const send = async (event: unknown) =>
  sendInvitationStep(Ref.extend({ taskToken: z.string().min(1) }).parse(event));

export const confirm = async (event: unknown) => confirmAcceptanceStep(Ref.parse(event));

export const expire = async (event: unknown) => expireStep(Ref.parse(event));

export const notify = async (event: unknown) =>
  notifyInviterStep(Ref.extend({ outcome: z.enum(['accepted', 'expired']) }).parse(event));
