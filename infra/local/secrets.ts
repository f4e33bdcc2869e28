import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { LocalSecret } from './template.ts';

/** A secret's value as the local Secrets Manager holds it. */
export interface LocalSecretValue {
  arn: string;
  name: string;
  value: string;
  createdAt: number;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/**
 * The values of the template's generated secrets, as CloudFormation generates them at create:
 * random, of the template's length and alphabet. Kept in `file` when one is given, so that a
 * restarted `npm start` has the same values (what was signed stays valid), as a deployed
 * secret keeps its value between deployments.
 */
export function localSecretValues(secrets: LocalSecret[], file?: string): LocalSecretValue[] {
  const kept: Record<string, LocalSecretValue> =
    file && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, LocalSecretValue>)
      : {};
  const values = secrets.map((secret) => {
    const existing = kept[secret.logicalId];
    if (existing) return existing;
    const alphabet = secret.excludePunctuation ? LETTERS : LETTERS + PUNCTUATION;
    const value = Array.from({ length: secret.length }, () => alphabet[randomInt(alphabet.length)]).join('');
    return { arn: secret.arn, name: secret.logicalId, value, createdAt: Math.floor(Date.now() / 1000) };
  });
  if (file)
    writeFileSync(file, JSON.stringify(Object.fromEntries(values.map((v, i) => [secrets[i]?.logicalId, v]))));
  return values;
}
