import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import {
  INVITATION_PREFIX,
  Invitation,
  type InvitationSecrets,
  type InvitationStatus,
  invitationItem,
  invitationKeys,
  inviteeLockKeys,
  MAX_RESENDS,
} from '../entities/invitation.ts';
import { type Membership, membershipItem } from '../entities/membership.ts';
import { PARSE } from '../parse-options.ts';
import { type Allowance, allowanceUpdate } from './limits.ts';
import { accountOfMember } from './organizations.ts';
import {
  accountPage,
  auditEntry,
  getItem,
  isConditionFailure,
  type Page,
  type PageRequest,
  TABLE_NAME,
  transact,
} from './table.ts';

export type { InvitationSecrets };

/** Strips what only the server may see. */
export const publicInvitation = (invitation: Invitation & InvitationSecrets): Invitation =>
  Invitation.parse(invitation, PARSE);

/**
 * A pending invitation ends (accepted, expired, revoked): its link secret goes, and the
 * condition makes sure only one ending ever happens.
 */
function endPending(
  invitation: Pick<Invitation, 'organizationId' | 'invitationId'>,
  status: Exclude<InvitationStatus, 'pending'>,
  extra: { set?: string; values?: Record<string, unknown> } = {},
) {
  return {
    Update: {
      TableName: TABLE_NAME,
      Key: invitationKeys(invitation.organizationId, invitation.invitationId),
      UpdateExpression: `SET #status = :status${extra.set ? `, ${extra.set}` : ''} REMOVE tokenHash`,
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':pending': 'pending', ...extra.values },
    },
  };
}

/** The invitee lock goes with the pending invitation. */
const releaseLock = (invitation: Pick<Invitation, 'organizationId' | 'email'>) => ({
  Delete: { TableName: TABLE_NAME, Key: inviteeLockKeys(invitation.organizationId, invitation.email) },
});

/**
 * Access pattern: create an invitation — one transaction with the invitee lock, which exists
 * only while an invitation to that address is pending (R9: a new one once the previous ended),
 * and the daily caps it counts against (LIMIT# items, conditional updates).
 */
export async function insertInvitation(
  invitation: Invitation,
  limits: Allowance[] = [],
): Promise<'created' | 'already-invited' | 'limit-reached'> {
  const result = await transact([
    // First, so that it is reported even where only the first failed condition is.
    {
      label: 'invitee',
      item: {
        Put: {
          TableName: TABLE_NAME,
          Item: {
            ...inviteeLockKeys(invitation.organizationId, invitation.email),
            type: 'InviteeLock',
            invitationId: invitation.invitationId,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    },
    ...limits.map((limit) => ({ label: `limit:${limit.name}`, item: allowanceUpdate(limit) })),
    {
      item: {
        Put: {
          TableName: TABLE_NAME,
          Item: invitationItem.toItem(invitation),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    },
    {
      item: auditEntry(invitation.organizationId, invitation.invitedBy, 'invitation.created', {
        invitationId: invitation.invitationId,
        email: invitation.email,
        rights: invitation.rights,
      }),
    },
  ]);
  if (result.ok) return 'created';
  // A pending invitation is the answer waiting would not change: it wins over a cap used up.
  return result.failed.includes('invitee') ? 'already-invited' : 'limit-reached';
}

/** Access pattern: get an invitation — GetItem ORG#<orgId> / INVITATION#<id>. */
export async function getInvitation(
  organizationId: string,
  invitationId: string,
): Promise<(Invitation & InvitationSecrets) | undefined> {
  const item = await getItem(invitationKeys(organizationId, invitationId));
  return item ? invitationItem.fromItem(item) : undefined;
}

/** Access pattern: an account's invitations, newest first, a page at a time — Query sk begins_with INVITATION#. */
export async function listInvitations(organizationId: string, page: PageRequest): Promise<Page<Invitation>> {
  return accountPage(organizationId, INVITATION_PREFIX, page, (item) => Invitation.parse(item, PARSE));
}

/**
 * Access pattern: park the workflow's task token on a pending invitation — one conditional
 * UpdateItem. A retried step comes with a new token, which replaces the old one.
 */
export async function storeTaskToken(
  invitation: Pick<Invitation, 'organizationId' | 'invitationId'>,
  taskToken: string,
): Promise<boolean> {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: invitationKeys(invitation.organizationId, invitation.invitationId),
        UpdateExpression: 'SET taskToken = :task',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':task': taskToken, ':pending': 'pending' },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Access pattern: store a new link secret (hash) for a pending invitation, counting a resend
 * (R9: limited) — one conditional UpdateItem.
 */
export async function storeInvitationSecret(
  invitation: Pick<Invitation, 'organizationId' | 'invitationId'>,
  tokenHash: string,
  options: { resend?: boolean },
): Promise<'stored' | 'not-pending' | 'resend-limit'> {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: invitationKeys(invitation.organizationId, invitation.invitationId),
        UpdateExpression: `SET tokenHash = :hash${options.resend ? ' ADD resendCount :one' : ''}`,
        ConditionExpression: options.resend
          ? '#status = :pending AND resendCount < :max'
          : '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':hash': tokenHash,
          ':pending': 'pending',
          ...(options.resend ? { ':one': 1, ':max': MAX_RESENDS } : {}),
        },
      }),
    );
    return 'stored';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const current = await getInvitation(invitation.organizationId, invitation.invitationId);
    return current?.status === 'pending' ? 'resend-limit' : 'not-pending';
  }
}

/**
 * Access pattern: accept an invitation (R9) — one transaction: the invitation becomes accepted
 * (only if still pending), the lock goes, the membership is created (only if the user is not a
 * member yet), the admin counter follows, and the audit entry is written.
 */
export async function acceptInvitationTransaction(
  invitation: Invitation,
  membership: Membership,
): Promise<'accepted' | 'not-pending' | 'already-member'> {
  const result = await transact([
    {
      label: 'invitation',
      item: endPending(invitation, 'accepted', {
        set: 'acceptedBy = :user',
        values: { ':user': membership.userId },
      }),
    },
    { item: releaseLock(invitation) },
    {
      item: {
        Put: {
          TableName: TABLE_NAME,
          Item: membershipItem.toItem(membership),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    },
    ...accountOfMember(invitation.organizationId, membership.userId, undefined, membership.rights),
    {
      item: auditEntry(invitation.organizationId, membership.userId, 'invitation.accepted', {
        invitationId: invitation.invitationId,
      }),
    },
  ]);
  if (result.ok) return 'accepted';
  return result.failed.includes('invitation') ? 'not-pending' : 'already-member';
}

/**
 * Access pattern: end a pending invitation as expired or revoked — one transaction: the status
 * (only if still pending), the lock, and for a revocation the audit entry.
 */
export async function endInvitation(
  invitation: Pick<Invitation, 'organizationId' | 'invitationId' | 'email'>,
  status: Extract<InvitationStatus, 'expired' | 'revoked'>,
  actorId?: string,
): Promise<boolean> {
  const result = await transact([
    { item: endPending(invitation, status) },
    { item: releaseLock(invitation) },
    ...(actorId
      ? [
          {
            item: auditEntry(invitation.organizationId, actorId, `invitation.${status}`, {
              invitationId: invitation.invitationId,
            }),
          },
        ]
      : []),
  ]);
  return result.ok;
}
