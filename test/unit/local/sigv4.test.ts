import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { parseSigV4, type SigV4Auth, signatureMatches, timeProblem } from '../../../infra/local/sigv4.ts';

const credentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };
const s3 = new S3Client({
  endpoint: 'http://127.0.0.1:4566',
  region: 'eu-central-2',
  credentials,
  requestChecksumCalculation: 'WHEN_REQUIRED',
});

async function presigned(expiresIn = 300) {
  const url = await getSignedUrl(
    s3,
    new PutObjectCommand({
      Bucket: 'docs',
      Key: 'uploads/a b/ü.png',
      ContentType: 'image/png',
      ContentLength: 3,
    }),
    { expiresIn, signableHeaders: new Set(['content-type', 'content-length']) },
  );
  const target = url.slice(url.indexOf('/', 'http://'.length));
  const request = (overrides: { url?: string; headers?: Record<string, string> } = {}) => ({
    method: 'PUT',
    url: overrides.url ?? target,
    headers: {
      host: '127.0.0.1:4566',
      'content-type': 'image/png',
      'content-length': '3',
      ...overrides.headers,
    },
    body: Buffer.from('abc'),
  });
  return { target, request };
}

describe('SigV4 verification', () => {
  it('accepts a URL the AWS SDK presigned, with its key encoded as the SDK encodes it', async () => {
    const { request } = await presigned();
    const auth = parseSigV4(request()) as SigV4Auth;

    expect(auth).toMatchObject({
      mode: 'query',
      accessKeyId: 'ASIAEXAMPLE',
      service: 's3',
      securityToken: 'token',
    });
    expect(signatureMatches(request(), auth, 'secret')).toBe(true);
    expect(timeProblem(auth)).toBeUndefined();
  });

  it('refuses it with another secret, another key, another signed header value or a lengthened expiry', async () => {
    const { target, request } = await presigned();
    const check = (req: ReturnType<typeof request>, secret = 'secret') =>
      signatureMatches(req, parseSigV4(req) as SigV4Auth, secret);

    expect(check(request(), 'other')).toBe(false);
    expect(check(request({ url: target.replace('uploads/', 'logos/') }))).toBe(false);
    expect(check(request({ headers: { 'content-type': 'text/html' } }))).toBe(false);
    expect(check(request({ headers: { 'content-length': '4' } }))).toBe(false);
    expect(check(request({ url: target.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000') }))).toBe(false);
  });

  it('says when a presigned URL has expired, and refuses validity over a week', async () => {
    const { request } = await presigned(60);
    const auth = parseSigV4(request()) as SigV4Auth;

    expect(timeProblem(auth, Date.now() + 61_000)).toBe('expired');
    expect(timeProblem({ ...auth, expires: 604_801 })).toBe('too-long');
  });

  it('reads no authentication from an unsigned request, and a malformed one as malformed', () => {
    const bare = { method: 'GET', url: '/docs/logos/x', headers: {}, body: Buffer.alloc(0) };

    expect(parseSigV4(bare)).toBeUndefined();
    expect(parseSigV4({ ...bare, headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' } })).toBe(
      'malformed',
    );
    expect(parseSigV4({ ...bare, url: '/docs/logos/x?X-Amz-Signature=zz' })).toBe('malformed');
  });
});
