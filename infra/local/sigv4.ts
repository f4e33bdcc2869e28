import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AWS Signature Version 4, verified the way AWS verifies it: the local AWS endpoint recomputes
 * the signature of every request (Authorization header) and presigned URL (query string) with
 * the secret of the access key it names, and refuses a request whose signature, date or expiry
 * does not hold. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */

export interface SignedRequest {
  method: string;
  /** Path and query exactly as sent (`req.url`). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigV4Auth {
  mode: 'header' | 'query';
  accessKeyId: string;
  /** Credential scope: YYYYMMDD, region, service. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** The request's signing time, `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  /** Presigned URLs only: validity in seconds from amzDate. */
  expires?: number;
  securityToken?: string;
  /** What the payload hash of the canonical request is. */
  payloadHash: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses header-signed requests whose time is further from its clock than this. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;
/** The longest a presigned URL may be valid (7 days). */
export const MAX_PRESIGNED_SECONDS = 604_800;

const header = (request: SignedRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it: unreserved characters as they are, everything else %XX. */
export const uriEncode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function queryPairs(url: string): [string, string][] {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  if (!query) return [];
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      const key = at < 0 ? pair : pair.slice(0, at);
      const value = at < 0 ? '' : pair.slice(at + 1);
      return [safeDecode(key), safeDecode(value)];
    });
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The parameters of a presigned URL, or of any query (first value of each name). */
export function queryOf(url: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of queryPairs(url)) if (!params.has(key)) params.set(key, value);
  return params;
}

/**
 * Reads the SigV4 authentication of a request: from its Authorization header or its query
 * string. Undefined: the request carries none (anonymous); 'malformed': it tries and fails.
 */
export function parseSigV4(request: SignedRequest): SigV4Auth | 'malformed' | undefined {
  const authorization = header(request, 'authorization');
  const query = queryOf(request.url);
  if (authorization) {
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
        authorization.trim(),
      );
    const amzDate = header(request, 'x-amz-date');
    if (!match || !amzDate) return 'malformed';
    const scope = parseScope(match[1] ?? '');
    if (!scope) return 'malformed';
    const contentHash = header(request, 'x-amz-content-sha256');
    const token = header(request, 'x-amz-security-token');
    return {
      mode: 'header',
      ...scope,
      signedHeaders: (match[2] ?? '').split(';'),
      signature: match[3] ?? '',
      amzDate,
      payloadHash: contentHash ?? sha256(request.body),
      ...(token ? { securityToken: token } : {}),
    };
  }
  if (query.has('X-Amz-Signature') || query.has('X-Amz-Credential')) {
    const scope = parseScope(query.get('X-Amz-Credential') ?? '');
    const signature = query.get('X-Amz-Signature') ?? '';
    const amzDate = query.get('X-Amz-Date') ?? '';
    const expires = Number(query.get('X-Amz-Expires'));
    if (
      query.get('X-Amz-Algorithm') !== ALGORITHM ||
      !scope ||
      !/^[0-9a-f]{64}$/.test(signature) ||
      !/^\d{8}T\d{6}Z$/.test(amzDate) ||
      !Number.isInteger(expires)
    ) {
      return 'malformed';
    }
    const token = query.get('X-Amz-Security-Token');
    return {
      mode: 'query',
      ...scope,
      signedHeaders: (query.get('X-Amz-SignedHeaders') ?? '').split(';'),
      signature,
      amzDate,
      expires,
      payloadHash: query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
      ...(token ? { securityToken: token } : {}),
    };
  }
  return undefined;
}

function parseScope(credential: string) {
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request') return undefined;
  return { accessKeyId, date, region, service };
}

/** Milliseconds since the epoch of `YYYYMMDDTHHMMSSZ`. */
export function amzTime(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0);
}

/** 'expired' / 'not-yet-valid' / 'too-long' when the request's time does not hold now; undefined when it does. */
export function timeProblem(auth: SigV4Auth, now = Date.now()): string | undefined {
  const signedAt = amzTime(auth.amzDate);
  if (Number.isNaN(signedAt) || auth.amzDate.slice(0, 8) !== auth.date) return 'malformed';
  if (auth.mode === 'header') return Math.abs(now - signedAt) > MAX_CLOCK_SKEW_MS ? 'expired' : undefined;
  const expires = auth.expires ?? 0;
  if (expires < 1 || expires > MAX_PRESIGNED_SECONDS) return 'too-long';
  if (signedAt - now > MAX_CLOCK_SKEW_MS) return 'not-yet-valid';
  return now > signedAt + expires * 1000 ? 'expired' : undefined;
}

/** The signature the request should carry if it was signed with `secret`. */
export function expectedSignature(request: SignedRequest, auth: SigV4Auth, secret: string): string {
  const path = request.url.split('?')[0] || '/';
  // S3 signs the path as sent; every other service signs it URI-encoded once more.
  const canonicalUri =
    auth.service === 's3'
      ? path
      : path
          .split('/')
          .map((segment) => uriEncode(segment))
          .join('/');
  const canonicalQuery = queryPairs(request.url)
    .filter(([key]) => !(auth.mode === 'query' && key === 'X-Amz-Signature'))
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([ka, va], [kb, vb]) => (ka === kb ? (va < vb ? -1 : va > vb ? 1 : 0) : ka < kb ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${(header(request, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    auth.payloadHash,
  ].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [ALGORITHM, auth.amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, auth.date), auth.region), auth.service), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

export function signatureMatches(request: SignedRequest, auth: SigV4Auth, secret: string): boolean {
  const expected = Buffer.from(expectedSignature(request, auth, secret), 'hex');
  const given = Buffer.from(auth.signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A signed payload hash (hex) that is not the body's: the body was changed after signing. */
export function payloadHashMismatch(request: SignedRequest, auth: SigV4Auth): boolean {
  return /^[0-9a-f]{64}$/.test(auth.payloadHash) && auth.payloadHash !== sha256(request.body);
}
