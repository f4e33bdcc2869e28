import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import {
  type Language,
  passwordResetKeys,
  RecoveryChange,
  recoveryChangeKeys,
  resetCooldownKeys,
  type UserProfile,
  userItem,
  userKeys,
} from '../entities/user.ts';
import { PARSE } from '../parse-options.ts';
import { getItem, isConditionFailure, TABLE_NAME, transact } from './table.ts';

/** Access pattern: get a user's profile — GetItem pk=USER#<id>, sk=PROFILE. */
export async function getUserProfile(userId: string): Promise<UserProfile | undefined> {
  const item = await getItem(userKeys(userId), false);
  return item ? userItem.fromItem(item) : undefined;
}

/**
 * Access pattern: set some of a user's preferences — one UpdateItem on USER#<id> / PROFILE that
 * creates the profile on first use (with the login e-mail and the default language) and
 * returns it whole.
 */
export async function saveUserPreferences(
  userId: string,
  email: string,
  preferences: { language?: Language; currentOrganizationId?: string; billingNotices?: boolean },
  defaultLanguage: Language,
): Promise<UserProfile> {
  const sets = ['#email = if_not_exists(#email, :email)', '#type = :type'];
  const values: Record<string, unknown> = { ':email': email, ':type': 'UserProfile' };
  if (preferences.language) {
    sets.push('#language = :language');
    values[':language'] = preferences.language;
  } else {
    sets.push('#language = if_not_exists(#language, :language)');
    values[':language'] = defaultLanguage;
  }
  if (preferences.billingNotices !== undefined) {
    sets.push('billingNotices = :notices');
    values[':notices'] = preferences.billingNotices;
  }
  if (preferences.currentOrganizationId) {
    sets.push('currentOrganizationId = :org');
    values[':org'] = preferences.currentOrganizationId;
  }
  const { Attributes } = await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: userKeys(userId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: { '#language': 'language', '#email': 'email', '#type': 'type' },
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    }),
  );
  return userItem.fromItem(Attributes ?? {});
}

/** Access pattern: start a recovery-address change (R2) — PutItem USER#<id> / RECOVERY_CHANGE (replaces a pending one). */
export async function putRecoveryChange(
  userId: string,
  newEmail: string,
  tokenHash: string,
  expiresAt: Date,
  loginEmail: string,
) {
  await dynamo.send(
    new PutCommand({
      TableName: TABLE_NAME,
      Item: {
        ...recoveryChangeKeys(userId),
        type: 'RecoveryChange',
        newEmail,
        loginEmail,
        tokenHash,
        validUntil: expiresAt.toISOString(),
        expiresAt: Math.floor(expiresAt.getTime() / 1000),
      },
    }),
  );
}

/** Access pattern: the pending recovery-address change — GetItem USER#<id> / RECOVERY_CHANGE (consistent). */
export async function getRecoveryChange(userId: string): Promise<RecoveryChange | undefined> {
  const item = await getItem(recoveryChangeKeys(userId));
  return item ? RecoveryChange.parse(item, PARSE) : undefined;
}

/**
 * Access pattern: confirm a recovery-address change — one transaction: the pending change is
 * consumed (only with the same token hash) and the profile takes the new address.
 */
export async function confirmRecoveryChange(
  userId: string,
  loginEmail: string,
  tokenHash: string,
  newEmail: string,
): Promise<boolean> {
  const result = await transact([
    {
      item: {
        Delete: {
          TableName: TABLE_NAME,
          Key: recoveryChangeKeys(userId),
          ConditionExpression: 'tokenHash = :hash',
          ExpressionAttributeValues: { ':hash': tokenHash },
        },
      },
    },
    {
      item: {
        Update: {
          TableName: TABLE_NAME,
          Key: userKeys(userId),
          UpdateExpression:
            'SET recoveryEmail = :new, #email = if_not_exists(#email, :login), #language = if_not_exists(#language, :en), #type = :type',
          ExpressionAttributeNames: { '#email': 'email', '#language': 'language', '#type': 'type' },
          ExpressionAttributeValues: {
            ':new': newEmail,
            ':login': loginEmail,
            ':en': 'en',
            ':type': 'UserProfile',
          },
        },
      },
    },
  ]);
  // Only the change's condition can fail: consumed meanwhile, or replaced by a newer link.
  return result.ok;
}

/**
 * Access pattern: take the login's reset cooldown (issue 13) — conditional UpdateItem on
 * USER#<id> / RESET_COOLDOWN: at most one reset e-mail per `minutes`, `perDay` a day. The request
 * that took it may take it again (a retried step sends its e-mail). false: cooling down.
 */
export async function takeResetCooldown(
  userId: string,
  requestId: string,
  now: Date,
  limits: { minutes: number; perDay: number },
): Promise<boolean> {
  const day = now.toISOString().slice(0, 10);
  const values = {
    ':now': now.getTime(),
    ':cut': now.getTime() - limits.minutes * 60_000,
    ':day': day,
    ':request': requestId,
    ':ttl': Math.floor(now.getTime() / 1000) + 2 * 86_400,
  };
  const update = (set: string, condition: string, extra: Record<string, unknown> = {}) =>
    dynamo.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: resetCooldownKeys(userId),
        UpdateExpression: `SET #type = :type, lastSentAt = :now, lastRequest = :request, expiresAt = :ttl, ${set}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#type': 'type', '#day': 'day' },
        ExpressionAttributeValues: { ...values, ':type': 'ResetCooldown', ...extra },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  const quiet = '(attribute_not_exists(lastSentAt) OR lastSentAt < :cut)';
  try {
    // A new day starts the day's count again.
    await update(
      '#day = :day, sentToday = :one',
      `${quiet} AND (attribute_not_exists(#day) OR #day <> :day)`,
      {
        ':one': 1,
      },
    );
    return true;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // The old item comes back as the service sends it (AttributeValues, not unmarshalled).
    const old = (error as { Item?: { lastRequest?: { S?: string } } }).Item;
    if (old?.lastRequest?.S === requestId) return true;
  }
  try {
    await update('sentToday = sentToday + :one', `${quiet} AND #day = :day AND sentToday < :max`, {
      ':one': 1,
      ':max': limits.perDay,
    });
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Access pattern: store a password-reset token (R2) — PutItem USER#<id> / PASSWORD_RESET. */
export async function putPasswordReset(
  userId: string,
  loginEmail: string,
  tokenHash: string,
  expiresAt: Date,
) {
  await dynamo.send(
    new PutCommand({
      TableName: TABLE_NAME,
      Item: {
        ...passwordResetKeys(userId),
        type: 'PasswordReset',
        loginEmail,
        tokenHash,
        validUntil: expiresAt.toISOString(),
        expiresAt: Math.floor(expiresAt.getTime() / 1000),
      },
    }),
  );
}

/**
 * Access pattern: consume a password-reset token — one conditional DeleteItem (same hash, still
 * valid): a token works once.
 */
export async function consumePasswordReset(
  userId: string,
  tokenHash: string,
): Promise<{ loginEmail: string } | undefined> {
  try {
    const { Attributes } = await dynamo.send(
      new DeleteCommand({
        TableName: TABLE_NAME,
        Key: passwordResetKeys(userId),
        ConditionExpression: 'tokenHash = :hash AND validUntil > :now',
        ExpressionAttributeValues: { ':hash': tokenHash, ':now': new Date().toISOString() },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes ? { loginEmail: Attributes.loginEmail as string } : undefined;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}
