import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * A logo's download URL is signed without the S3 client (issue 16: the client is a third of the
 * account route's bundle). In AWS it must be the very URL the S3 client signs.
 */
const credentials = {
  accessKeyId: 'AKIAEXAMPLE',
  secretAccessKey: 'secret/with+signs',
  sessionToken: 'token/+=',
};
const at = new Date('2026-11-27T10:00:00Z');

const saved = { ...process.env };
afterAll(() => {
  process.env = saved;
});
beforeAll(() => {
  Object.assign(process.env, {
    BUCKET_NAME: 'manager-documents-abc123',
    AWS_REGION: 'eu-central-2',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  });
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL_S3;
});
afterEach(() => {
  vi.useRealTimers();
  delete process.env.AWS_ENDPOINT_URL;
});

const bySdk = async (key: string, endpoint?: string) =>
  getSignedUrl(
    new S3Client({
      region: 'eu-central-2',
      credentials,
      // As the documents repository's client (functions/core/repositories/documents.ts).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    }),
    new GetObjectCommand({ Bucket: 'manager-documents-abc123', Key: key }),
    { expiresIn: 300, signingDate: at },
  );

describe('presignDownload', () => {
  it('signs in AWS exactly the URL the S3 client signs', async () => {
    vi.useFakeTimers({ now: at, toFake: ['Date'] });
    const { presignDownload } = await import('#core/repositories/document-urls.ts');
    const key = 'logos/01JD8X3Z9Q/01JD8X4AB.png';

    expect(await presignDownload(key, 300)).toBe(await bySdk(key));
  });

  it('signs a path-style URL of the endpoint the local stack names, as the S3 client does', async () => {
    vi.useFakeTimers({ now: at, toFake: ['Date'] });
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4567';
    const { presignDownload } = await import('#core/repositories/document-urls.ts');
    const key = "logos/01JD8X3Z9Q/a b+c(d)!'*.png";

    expect(await presignDownload(key, 300)).toBe(await bySdk(key, 'http://127.0.0.1:4567'));
    // An endpoint named with a trailing slash is the same endpoint.
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4567/';
    expect(await presignDownload(key, 300)).toBe(await bySdk(key, 'http://127.0.0.1:4567'));
  });
});
