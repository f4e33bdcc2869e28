import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { requiredEnv } from '../config.ts';

/** The documents bucket (PDFs, logos): the only module that builds S3 commands. */
const BUCKET_NAME = requiredEnv('BUCKET_NAME');

/**
 * Created here rather than in clients.ts so that functions which never touch S3 do not load the
 * S3 client at cold start. Checksums only where S3 requires them: by default the SDK signs a
 * CRC32 into every presigned PUT URL — the CRC32 of an empty body, which S3 then compares with
 * the uploaded file and refuses (BadDigest). The local S3 checks it the same way.
 */
const s3 = new S3Client({
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

/**
 * A URL the browser PUTs the file to; type and length are part of the signature (the SDK signs a
 * given length by itself, a type only when it is named: test/integration/local/aws-endpoint.test.ts
 * uploads another of each and gets 403).
 */
export function presignUpload(key: string, contentType: string, contentLength: number, seconds: number) {
  return getSignedUrl(
    s3,
    new PutObjectCommand({
      Bucket: BUCKET_NAME,
      Key: key,
      ContentType: contentType,
      ContentLength: contentLength,
    }),
    { expiresIn: seconds, signableHeaders: new Set(['content-type']) },
  );
}

/** Reads an object whole, refusing (undefined) one larger than `maxBytes` or missing. */
export async function readObject(key: string, maxBytes: number): Promise<Buffer | 'too-large' | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET_NAME, Key: key }));
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator,BlockStatement: equivalent in answers — read whole, the file is refused by logoProblems with the same words; this bounds the function's memory
    if ((object.ContentLength ?? 0) > maxBytes) {
      // Stryker disable next-line OptionalChaining: equivalent — GetObject's answer always has a Body
      object.Body?.transformToWebStream().cancel();
      return 'too-large';
    }
    // Stryker disable next-line OptionalChaining,ArrayDeclaration: equivalent — GetObject's answer always has a Body
    return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
  } catch (error) {
    // GetObject names a missing key NoSuchKey (HeadObject would say NotFound; it is not used).
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

export async function writeObject(key: string, body: Buffer, contentType: string): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET_NAME, Key: key, Body: body, ContentType: contentType }),
  );
}

export async function deleteObject(key: string): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: BUCKET_NAME, Key: key }));
}
