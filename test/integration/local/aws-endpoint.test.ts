import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchGetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { makePng } from '../../fixtures/images.ts';
import {
  accountOwner,
  api,
  awsClientConfig,
  control,
  delaysLeft,
  documentClient,
  eventually,
  local,
  s3Client,
  table,
} from '../helpers.ts';

/**
 * The local AWS endpoint checks what AWS checks (issue 9): signatures, their expiry and signed
 * headers, the caller's credentials; the documents bucket blocks every anonymous request.
 */
interface Upload {
  uploadId: string;
  url: string;
  headers: Record<string, string>;
}

async function startUpload(size: number) {
  const { login, orgId } = await accountOwner();
  const started = await api('POST', `/v1/organizations/${orgId}/logo/uploads`, {
    token: login.idToken,
    json: { contentType: 'image/png', size },
  });
  return { login, orgId, ...(started.body as Upload) };
}

const setLogo = (token: string, orgId: string, uploadId: string) =>
  api('PUT', `/v1/organizations/${orgId}/logo`, { token, json: { uploadId } });

describe('presigned URLs, as S3 verifies them (R6)', () => {
  it('refuses a URL pointed at another key (403), and nothing is stored there', async () => {
    const png = makePng(540, 140);
    const { login, orgId, url, headers } = await startUpload(png.length);
    const other = url.replace(
      /uploads\/logos\/([^/]+)\/([0-9A-Z]+)/,
      (_, org, id: string) => `uploads/logos/${org}/${id.slice(0, -1)}${id.endsWith('Z') ? 'Y' : 'Z'}`,
    );

    const put = await fetch(other, { method: 'PUT', headers, body: png });

    expect(put.status).toBe(403);
    expect(await put.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const uploadId = /uploads\/logos\/[^/]+\/([0-9A-Z]+)/.exec(other)?.[1] ?? '';
    expect((await setLogo(login.idToken, orgId, uploadId)).status).toBe(404);
  });

  it('refuses a URL whose expiry was lengthened, and uploads that differ from what was signed', async () => {
    const png = makePng(540, 140);
    const { url, headers } = await startUpload(png.length);

    const longer = await fetch(url.replace('X-Amz-Expires=300', 'X-Amz-Expires=3600'), {
      method: 'PUT',
      headers,
      body: png,
    });
    const otherType = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg' },
      body: png,
    });
    const otherSize = await fetch(url, {
      method: 'PUT',
      headers,
      body: Buffer.concat([png, Buffer.from([0])]),
    });

    expect([longer.status, otherType.status, otherSize.status]).toEqual([403, 403, 403]);
    expect((await fetch(url, { method: 'PUT', headers, body: png })).status).toBe(200);
  });

  it('refuses an expired URL with "Request has expired"', async () => {
    const url = await getSignedUrl(
      s3Client(),
      new PutObjectCommand({
        Bucket: local().documentsBucket,
        Key: 'uploads/logos/expired',
        ContentType: 'image/png',
      }),
      { expiresIn: 1 },
    );
    await new Promise((resolve) => setTimeout(resolve, 2100));

    const put = await fetch(url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: 'x' });

    expect(put.status).toBe(403);
    expect(await put.text()).toContain('Request has expired');
  });

  it('refuses unsigned and anonymous requests to the bucket (it blocks public access)', async () => {
    const bucket = `${local().endpoints.aws}/${local().documentsBucket}`;
    await s3Client().send(
      new PutObjectCommand({ Bucket: local().documentsBucket, Key: 'logos/public', Body: 'secret' }),
    );

    const read = await fetch(`${bucket}/logos/public`);
    const write = await fetch(`${bucket}/logos/planted`, { method: 'PUT', body: 'x' });

    expect(read.status).toBe(403);
    expect(write.status).toBe(403);
    await expect(
      s3Client().send(new GetObjectCommand({ Bucket: local().documentsBucket, Key: 'logos/planted' })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('accepting an upload that never happened is a 404 problem, not a 500', async () => {
    const { login, orgId, uploadId } = await startUpload(100);

    const accepted = await setLogo(login.idToken, orgId, uploadId);

    expect(accepted.status).toBe(404);
    expect(accepted.body).toMatchObject({ detail: expect.stringMatching(/upload it to the URL first/) });
  });
});

describe('credentials, as AWS checks them', () => {
  it('refuses a request signed with a wrong secret or an unknown key', async () => {
    const { endpoint, region, credentials } = awsClientConfig();
    const wrongSecret = new DynamoDBClient({
      endpoint,
      region,
      credentials: { ...credentials, secretAccessKey: 'guess' },
    });
    const unknownKey = new DynamoDBClient({
      endpoint,
      region,
      credentials: { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' },
    });

    await expect(wrongSecret.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    await expect(unknownKey.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });
});

describe('DynamoDB, as it answers', () => {
  it('answers a BatchGetItem in no particular order, not in the order asked', async () => {
    const pk = `ORDERLESS#${randomUUID()}`;
    const keys = Array.from({ length: 12 }, (_, i) => ({ pk, sk: `ITEM#${String(i).padStart(2, '0')}` }));
    for (const key of keys) await table().put({ ...key, type: 'Test' });

    const orders = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const { Responses } = await documentClient().send(
        new BatchGetCommand({ RequestItems: { [local().tableName]: { Keys: keys } } }),
      );
      const items = Responses?.[local().tableName] ?? [];
      expect(items).toHaveLength(12);
      orders.add(items.map((item) => item.sk).join());
    }

    expect(orders.size).toBeGreaterThan(1);
  });

  it('refuses a write to an item an ongoing transaction writes, as AWS does (TransactionConflict)', async () => {
    const pk = `ONGOING#${randomUUID()}`;
    const item = (sk: string) => ({ pk, sk, type: 'Test' });
    const transaction = (...sks: string[]) =>
      new TransactWriteCommand({
        TransactItems: sks.map((sk) => ({ Put: { TableName: local().tableName, Item: item(sk) } })),
      });
    const refusal = async (send: Promise<unknown>) =>
      send.then(
        () => 'written',
        (error: { name: string; CancellationReasons?: { Code: string }[] }) => ({
          name: error.name,
          reasons: error.CancellationReasons?.map((r) => r.Code),
        }),
      );
    // A transaction writing A and B is held for a second after it reached the table.
    await control('POST', '/delays', {
      caller: 'admin',
      operation: 'TransactWriteItems',
      ms: 1000,
      times: 1,
      contains: pk,
      ongoing: true,
    });
    const slow = documentClient().send(transaction('A', 'B'));
    await eventually(async () => (await delaysLeft(pk)) === 0 || undefined);

    expect(await refusal(documentClient().send(transaction('C', 'B')))).toEqual({
      name: 'TransactionCanceledException',
      reasons: ['None', 'TransactionConflict'],
    });
    expect(
      await refusal(documentClient().send(new PutCommand({ TableName: local().tableName, Item: item('A') }))),
    ).toEqual({ name: 'TransactionConflictException', reasons: undefined });
    // Another item, and reads, are not held up.
    expect(await refusal(documentClient().send(transaction('C')))).toBe('written');
    expect(await table().get({ pk, sk: 'A' })).toBeUndefined();

    await slow;
    expect(await refusal(documentClient().send(transaction('C', 'B')))).toBe('written');
  });
});
