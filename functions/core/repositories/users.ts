import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { type Language, type UserProfile, userKeys } from '../entities/user.ts';

const TABLE_NAME = requiredEnv('TABLE_NAME');

const toProfile = (userId: string, item: Record<string, unknown>): UserProfile => ({
  userId,
  email: item.email as string,
  language: item.language as Language,
  currentOrganizationId: (item.currentOrganizationId as string | undefined) ?? null,
});

/** Access pattern: get a user's profile — GetItem pk=USER#<id>, sk=PROFILE. */
export async function getUserProfile(userId: string): Promise<UserProfile | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: TABLE_NAME, Key: userKeys(userId) }));
  return Item ? toProfile(userId, Item) : undefined;
}

/**
 * Access pattern: set a user's preferences — one UpdateItem on pk=USER#<id>, sk=PROFILE that
 * creates the profile on first use and returns it whole.
 */
export async function saveUserPreferences(
  userId: string,
  email: string,
  preferences: { language: Language },
): Promise<UserProfile> {
  const { Attributes } = await dynamo.send(
    new UpdateCommand({
      TableName: TABLE_NAME,
      Key: userKeys(userId),
      UpdateExpression: 'SET #language = :language, #email = if_not_exists(#email, :email), #type = :type',
      ExpressionAttributeNames: { '#language': 'language', '#email': 'email', '#type': 'type' },
      ExpressionAttributeValues: {
        ':language': preferences.language,
        ':email': email,
        ':type': 'UserProfile',
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return toProfile(userId, Attributes ?? {});
}
