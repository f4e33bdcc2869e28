import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { dynamoClient } from '../clients.ts';
import { requiredEnv } from '../config.ts';

/**
 * Download URLs of the documents bucket, signed without the S3 client: the routes that show an
 * account sign its logo's URL, and the S3 client was a third of their bundle, compiled at every
 * cold start (issue 16). The presigner is the SDK's own (what `getSignedUrl` uses); it signs
 * with the credentials and region the function's DynamoDB client resolved, its role's. A unit
 * test holds the URL equal to the S3 client's (test/unit/core/document-urls.test.ts).
 */
const BUCKET_NAME = requiredEnv('BUCKET_NAME');

const presigner = new S3RequestPresigner({
  credentials: dynamoClient.config.credentials,
  region: dynamoClient.config.region,
  sha256: dynamoClient.config.sha256,
});

/** RFC 3986, as S3 encodes a key's segments in the signed path. */
const encodeSegment = (segment: string) =>
  encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The bucket's address: virtual-hosted in AWS; path-style under the endpoint the local stack
 * names (AWS_ENDPOINT_URL, as the S3 client does for an IP address).
 */
async function bucketUrl(): Promise<URL> {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint) return new URL(`${endpoint.replace(/\/$/, '')}/${BUCKET_NAME}/`);
  return new URL(`https://${BUCKET_NAME}.s3.${await dynamoClient.config.region()}.amazonaws.com/`);
}

/** A short-lived URL to read one object. */
export async function presignDownload(key: string, seconds: number): Promise<string> {
  const bucket = await bucketUrl();
  const path = `${bucket.pathname}${key.split('/').map(encodeSegment).join('/')}`;
  // Signed for its host, which the presigner adds from hostname and port.
  const signed = await presigner.presign(
    {
      // Stryker disable next-line StringLiteral: equivalent — the presigner's request is a GET when its method is empty
      method: 'GET',
      protocol: bucket.protocol,
      hostname: bucket.hostname,
      port: bucket.port ? Number(bucket.port) : undefined,
      path,
      query: { 'x-id': 'GetObject' },
      headers: {},
    },
    { expiresIn: seconds },
  );
  const query = Object.entries(signed.query ?? {})
    // Stryker disable next-line EqualityOperator: equivalent — the query's names are unique, never equal
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => `${encodeSegment(name)}=${encodeSegment(String(value))}`)
    .join('&');
  return `${bucket.protocol}//${bucket.host}${path}?${query}`;
}
