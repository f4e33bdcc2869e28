import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { queryOf } from './sigv4.ts';
import type { CorsRule, LocalBucket } from './template.ts';

/**
 * The S3 of the local stack: the object operations the system uses (PutObject, GetObject,
 * HeadObject, DeleteObject, ListObjectsV2), path-style, objects kept in a directory. It sits
 * behind the local AWS endpoint, which has already verified the signature and the caller's IAM
 * policy; what is S3's own behaviour lives here: checksums and Content-MD5 checked against the
 * body, a missing key answered 404 only to a caller allowed s3:ListBucket (403 otherwise), the
 * bucket's CORS rules, and S3's XML errors.
 */

export interface S3Request {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What a request asks for, in IAM terms: the gateway authorizes it before `execute`. */
export interface S3Operation {
  operation: 'PutObject' | 'GetObject' | 'HeadObject' | 'DeleteObject' | 'ListObjectsV2';
  bucket: string;
  key?: string;
  action: string;
  resource: string;
}

interface Meta {
  key: string;
  contentType: string;
  etag: string;
  size: number;
  lastModified: string;
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);

export function s3Error(status: number, code: string, message: string, extra = ''): S3Response {
  const requestId = randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase();
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${extra}<RequestId>${requestId}</RequestId><HostId>local</HostId></Error>`;
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: Buffer.from(body),
  };
}

const escapeXml = (value: string) =>
  value.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

function crc32Base64(body: Buffer): string {
  const value = crc32(body);
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

const digests: Record<string, (body: Buffer) => string> = {
  crc32: crc32Base64,
  sha1: (body) => createHash('sha1').update(body).digest('base64'),
  sha256: (body) => createHash('sha256').update(body).digest('base64'),
};

export class LocalS3 {
  readonly #directory: string;
  readonly #buckets: Map<string, LocalBucket>;

  constructor(directory: string, buckets: LocalBucket[]) {
    this.#directory = directory;
    this.#buckets = new Map(buckets.map((b) => [b.name, b]));
    for (const bucket of buckets) mkdirSync(join(directory, bucket.name), { recursive: true });
  }

  isBucketPath(url: string): boolean {
    const [, bucket] = (url.split('?')[0] ?? '').split('/');
    return bucket !== undefined && this.#buckets.has(bucket);
  }

  /** Path-style addressing: `/<bucket>/<key>`; the key is URI-decoded, as S3 decodes it. */
  describe(request: Pick<S3Request, 'method' | 'url'>): S3Operation | S3Response {
    const [path = '/', query = ''] = request.url.split('?');
    const [, bucket = '', ...rest] = path.split('/');
    if (!this.#buckets.has(bucket))
      return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    const bucketArn = `arn:aws:s3:::${bucket}`;
    if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
      if (request.method === 'GET' && queryOf(`?${query}`).get('list-type') === '2') {
        return { operation: 'ListObjectsV2', bucket, action: 's3:ListBucket', resource: bucketArn };
      }
      return s3Error(
        501,
        'NotImplemented',
        'The local S3 implements object operations and ListObjectsV2 only',
      );
    }
    let key: string;
    try {
      key = decodeURIComponent(rest.join('/'));
    } catch {
      return s3Error(400, 'InvalidURI', 'Couldn’t parse the specified URI.');
    }
    const resource = `${bucketArn}/${key}`;
    switch (request.method) {
      case 'PUT':
        return { operation: 'PutObject', bucket, key, action: 's3:PutObject', resource };
      case 'GET':
        return { operation: 'GetObject', bucket, key, action: 's3:GetObject', resource };
      case 'HEAD':
        return { operation: 'HeadObject', bucket, key, action: 's3:GetObject', resource };
      case 'DELETE':
        return { operation: 'DeleteObject', bucket, key, action: 's3:DeleteObject', resource };
      default:
        return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
  }

  /**
   * Carries out an authorized operation. `mayList`: the caller holds s3:ListBucket on the bucket,
   * which is what decides whether a missing key is a 404 or a 403 (S3's rule).
   */
  execute(op: S3Operation, request: S3Request, mayList: boolean): S3Response {
    const response = this.#execute(op, request, mayList);
    return this.#withCors(op.bucket, request, response);
  }

  #execute(op: S3Operation, request: S3Request, mayList: boolean): S3Response {
    if (op.operation === 'ListObjectsV2') return this.#list(op.bucket, request.url);
    const key = op.key ?? '';
    if (op.operation === 'PutObject') return this.#put(op.bucket, key, request);
    if (op.operation === 'DeleteObject') {
      rmSync(this.#file(op.bucket, key), { force: true });
      rmSync(`${this.#file(op.bucket, key)}.meta.json`, { force: true });
      return { status: 204, headers: {}, body: Buffer.alloc(0) };
    }
    const meta = this.#meta(op.bucket, key);
    if (!meta) {
      const head = op.operation === 'HeadObject';
      const error = mayList
        ? s3Error(404, 'NoSuchKey', 'The specified key does not exist.', `<Key>${escapeXml(key)}</Key>`)
        : s3Error(403, 'AccessDenied', 'Access Denied');
      return head ? { ...error, body: Buffer.alloc(0) } : error;
    }
    const headers = {
      'content-type': meta.contentType,
      'content-length': String(meta.size),
      etag: meta.etag,
      'last-modified': new Date(meta.lastModified).toUTCString(),
    };
    if (op.operation === 'HeadObject') return { status: 200, headers, body: Buffer.alloc(0) };
    return { status: 200, headers, body: readFileSync(this.#file(op.bucket, key)) };
  }

  #put(bucket: string, key: string, request: S3Request): S3Response {
    const headers = request.headers;
    const query = queryOf(request.url);
    if (single(headers['content-encoding'])?.includes('aws-chunked')) {
      return s3Error(501, 'NotImplemented', 'The local S3 does not decode aws-chunked uploads');
    }
    if (headers['content-length'] === undefined) {
      return s3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
    }
    const md5 = single(headers['content-md5']);
    if (md5 && createHash('md5').update(request.body).digest('base64') !== md5) {
      return s3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    // A checksum given in a header, or signed into a presigned URL's query, must be the body's.
    for (const [algorithm, digest] of Object.entries(digests)) {
      const name = `x-amz-checksum-${algorithm}`;
      const given = single(headers[name]) ?? query.get(name);
      if (given !== undefined && given !== digest(request.body)) {
        return s3Error(
          400,
          'BadDigest',
          `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
        );
      }
    }
    for (const unsupported of ['crc32c', 'crc64nvme']) {
      if (single(headers[`x-amz-checksum-${unsupported}`]) ?? query.get(`x-amz-checksum-${unsupported}`)) {
        return s3Error(501, 'NotImplemented', `The local S3 does not compute ${unsupported.toUpperCase()}`);
      }
    }
    const etag = `"${createHash('md5').update(request.body).digest('hex')}"`;
    const meta: Meta = {
      key,
      contentType: single(headers['content-type']) ?? 'binary/octet-stream',
      etag,
      size: request.body.length,
      lastModified: new Date().toISOString(),
    };
    writeFileSync(this.#file(bucket, key), request.body);
    writeFileSync(`${this.#file(bucket, key)}.meta.json`, JSON.stringify(meta));
    return { status: 200, headers: { etag }, body: Buffer.alloc(0) };
  }

  #list(bucket: string, url: string): S3Response {
    const query = queryOf(url);
    const prefix = query.get('prefix') ?? '';
    const maxKeys = Math.min(1000, Number(query.get('max-keys') ?? 1000));
    const after = query.get('continuation-token') ?? query.get('start-after') ?? '';
    const all = readdirSync(join(this.#directory, bucket))
      .filter((f) => f.endsWith('.meta.json'))
      .map((f) => JSON.parse(readFileSync(join(this.#directory, bucket, f), 'utf8')) as Meta)
      .filter((m) => m.key.startsWith(prefix) && m.key > after)
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    const page = all.slice(0, maxKeys);
    const truncated = all.length > page.length;
    const contents = page
      .map(
        (m) =>
          `<Contents><Key>${escapeXml(m.key)}</Key><LastModified>${m.lastModified}</LastModified><ETag>${escapeXml(m.etag)}</ETag><Size>${m.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      )
      .join('');
    const next = truncated
      ? `<NextContinuationToken>${escapeXml(page.at(-1)?.key ?? '')}</NextContinuationToken>`
      : '';
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`;
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: Buffer.from(body) };
  }

  /** A CORS preflight (OPTIONS) against the bucket's rules, as S3 answers it without credentials. */
  preflight(request: S3Request): S3Response {
    const [, bucket = ''] = (request.url.split('?')[0] ?? '').split('/');
    const origin = single(request.headers.origin);
    const method = single(request.headers['access-control-request-method']);
    const wanted = (single(request.headers['access-control-request-headers']) ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    const rule = this.#buckets
      .get(bucket)
      ?.cors.find(
        (r) =>
          origin !== undefined &&
          method !== undefined &&
          originAllowed(r, origin) &&
          r.allowedMethods.includes(method) &&
          wanted.every((h) => r.allowedHeaders.some((a) => a === '*' || a.toLowerCase() === h)),
      );
    if (!rule || !origin || !method) {
      return s3Error(403, 'AccessForbidden', 'CORSResponse: This CORS request is not allowed.');
    }
    return {
      status: 200,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': method,
        ...(wanted.length ? { 'access-control-allow-headers': wanted.join(', ') } : {}),
        ...(rule.maxAge === undefined ? {} : { 'access-control-max-age': String(rule.maxAge) }),
        vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
      },
      body: Buffer.alloc(0),
    };
  }

  #withCors(bucket: string, request: S3Request, response: S3Response): S3Response {
    const origin = single(request.headers.origin);
    if (!origin) return response;
    const rule = this.#buckets
      .get(bucket)
      ?.cors.find((r) => originAllowed(r, origin) && r.allowedMethods.includes(request.method));
    if (!rule) return response;
    return {
      ...response,
      headers: { ...response.headers, 'access-control-allow-origin': origin, vary: 'Origin' },
    };
  }

  #file(bucket: string, key: string): string {
    // One flat file per key, named by its hash: no key can reach outside the bucket's directory.
    return join(this.#directory, bucket, createHash('sha256').update(key).digest('hex'));
  }

  #meta(bucket: string, key: string): Meta | undefined {
    try {
      return JSON.parse(readFileSync(`${this.#file(bucket, key)}.meta.json`, 'utf8')) as Meta;
    } catch {
      return undefined;
    }
  }
}

const originAllowed = (rule: CorsRule, origin: string) =>
  rule.allowedOrigins.some((o) => o === '*' || o === origin);
