import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { callApi } from '../../fixtures/client.ts';
import { makeFakePng, makeJpeg, makeJpegHead, makePng } from '../../fixtures/images.ts';
import { accountOwner, addMember, api, failCalls, local, s3Client } from '../helpers.ts';

interface Upload {
  uploadId: string;
  url: string;
  headers: Record<string, string>;
}

async function upload(token: string, orgId: string, file: Buffer, contentType = 'image/png') {
  const started = await api('POST', `/v1/organizations/${orgId}/logo/uploads`, {
    token,
    json: { contentType, size: file.length },
  });
  const { uploadId, url, headers } = started.body as Upload;
  const put = await fetch(url, { method: 'PUT', headers, body: file });
  if (!put.ok) throw new Error(`upload failed: ${put.status} ${await put.text()}`);
  return uploadId;
}

const logoOf = async (token: string, orgId: string) =>
  ((await api('GET', `/v1/organizations/${orgId}`, { token })).body as { logoUrl: string | null }).logoUrl;

describe('account logo (R6)', () => {
  it('an uploaded PNG of the right size becomes the logo, served through a short-lived URL', async () => {
    const { login, orgId } = await accountOwner();
    const png = makePng(540, 140);
    const uploadId = await upload(login.idToken, orgId, png);

    const accepted = await api('PUT', `/v1/organizations/${orgId}/logo`, {
      token: login.idToken,
      json: { uploadId },
    });

    expect(accepted).toMatchObject({ status: 200, body: { width: 540, height: 140 } });
    const url = await logoOf(login.idToken, orgId);
    expect(url).toMatch(/X-Amz-Expires=300/);
    // Saved as a browser names it when it is downloaded: with the extension of its type.
    expect(new URL(String(url)).pathname).toMatch(/\.png$/);
    const served = await fetch(String(url));
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    // The upload is moved, not copied: nothing is left at its upload key.
    await expect(
      s3Client().send(
        new HeadObjectCommand({ Bucket: local().documentsBucket, Key: `uploads/logos/${orgId}/${uploadId}` }),
      ),
    ).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('an upload URL is valid for 5 minutes, and says so', async () => {
    const { login, orgId } = await accountOwner();
    const before = Date.now();

    const started = await api('POST', `/v1/organizations/${orgId}/logo/uploads`, {
      token: login.idToken,
      json: { contentType: 'image/png', size: 1000 },
    });

    const { url, expiresAt } = started.body as Upload & { expiresAt: string };
    expect(url).toMatch(/X-Amz-Expires=300/);
    expect(Date.parse(expiresAt)).toBeGreaterThanOrEqual(before + 300_000);
    expect(Date.parse(expiresAt)).toBeLessThanOrEqual(Date.now() + 300_000);
  });

  it('a new logo replaces the old one, whose file is deleted; removing a logo the account does not have is a no-op', async () => {
    const { login, orgId } = await accountOwner();
    const first = await upload(login.idToken, orgId, makePng(270, 70));
    await api('PUT', `/v1/organizations/${orgId}/logo`, { token: login.idToken, json: { uploadId: first } });
    const old = String(await logoOf(login.idToken, orgId));
    const second = await upload(login.idToken, orgId, makePng(540, 140));

    const replaced = await api('PUT', `/v1/organizations/${orgId}/logo`, {
      token: login.idToken,
      json: { uploadId: second },
    });

    expect(replaced).toMatchObject({ status: 200, body: { width: 540, height: 140 } });
    expect(new URL(String(await logoOf(login.idToken, orgId))).pathname).not.toBe(new URL(old).pathname);
    const [, bucket, ...key] = new URL(old).pathname.split('/');
    await expect(
      s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: decodeURIComponent(key.join('/')) })),
    ).rejects.toMatchObject({ name: 'NotFound' });
    expect((await api('DELETE', `/v1/organizations/${orgId}/logo`, { token: login.idToken })).status).toBe(
      204,
    );
    expect((await api('DELETE', `/v1/organizations/${orgId}/logo`, { token: login.idToken })).status).toBe(
      204,
    );
    expect(await logoOf(login.idToken, orgId)).toBeNull();
  });

  it('refuses a file of the wrong proportions with 400 listing why, and keeps the previous logo', async () => {
    const { login, orgId } = await accountOwner();
    const good = await upload(login.idToken, orgId, makePng(270, 70));
    await api('PUT', `/v1/organizations/${orgId}/logo`, { token: login.idToken, json: { uploadId: good } });
    const before = new URL(String(await logoOf(login.idToken, orgId))).pathname;
    const square = await upload(login.idToken, orgId, makePng(300, 300));

    const refused = await api('PUT', `/v1/organizations/${orgId}/logo`, {
      token: login.idToken,
      json: { uploadId: square },
    });

    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      errors: [
        { pointer: '/body/uploadId', detail: 'The logo must have the proportions of 270×70 px (27:7).' },
      ],
    });
    expect(new URL(String(await logoOf(login.idToken, orgId))).pathname).toBe(before);
    const again = await api('PUT', `/v1/organizations/${orgId}/logo`, {
      token: login.idToken,
      json: { uploadId: square },
    });
    expect(again).toMatchObject({
      status: 404,
      body: { detail: `No uploaded file ${square}; upload it to the URL first.` },
    });
  });

  it('judges the type by the file’s bytes, not by what the upload declared', async () => {
    const { login, orgId } = await accountOwner();
    const uploadId = await upload(
      login.idToken,
      orgId,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    );

    const refused = await api('PUT', `/v1/organizations/${orgId}/logo`, {
      token: login.idToken,
      json: { uploadId },
    });

    expect(refused).toMatchObject({
      status: 400,
      body: { errors: [{ pointer: '/body/uploadId', detail: 'The logo must be a PNG or JPEG image.' }] },
    });
    expect(await logoOf(login.idToken, orgId)).toBeNull();
  });

  it.each([
    ['a PNG header followed by garbage', makeFakePng(270, 70), 'image/png'],
    ['a JPEG that is only a header', makeJpegHead(270, 70), 'image/jpeg'],
    ['a truncated PNG', makePng(540, 140).subarray(0, 60), 'image/png'],
  ])('refuses %s: the whole file must decode, not only its header (R6)', async (_, file, type) => {
    const { login, orgId } = await accountOwner();
    const uploadId = await upload(login.idToken, orgId, file, type);

    const refused = await api('PUT', `/v1/organizations/${orgId}/logo`, {
      token: login.idToken,
      json: { uploadId },
    });

    expect(refused).toMatchObject({
      status: 400,
      body: {
        detail: 'The uploaded file cannot be used as a logo.',
        errors: [
          {
            pointer: '/body/uploadId',
            detail: 'The file is damaged or incomplete: it does not decode as a whole image.',
          },
        ],
      },
    });
    expect(await logoOf(login.idToken, orgId)).toBeNull();
  });

  it('accepts a JPEG and removes the logo on request, its file with it', async () => {
    const { login, orgId } = await accountOwner();
    const uploadId = await upload(login.idToken, orgId, makeJpeg(270, 70), 'image/jpeg');
    const accepted = await api('PUT', `/v1/organizations/${orgId}/logo`, {
      token: login.idToken,
      json: { uploadId },
    });
    expect(accepted).toMatchObject({ status: 200, body: { width: 270, height: 70 } });
    // The file, named by the URL handed out (path-style locally: /<bucket>/<key>).
    const url = String(await logoOf(login.idToken, orgId));
    const [, bucket, ...key] = new URL(url).pathname.split('/');
    const file = () =>
      s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: decodeURIComponent(key.join('/')) }));
    expect((await file()).ContentType).toBe('image/jpeg');
    expect(key.at(-1)).toMatch(/\.jpg$/);

    const removed = await api('DELETE', `/v1/organizations/${orgId}/logo`, { token: login.idToken });

    expect(removed.status).toBe(204);
    expect(await logoOf(login.idToken, orgId)).toBeNull();
    await expect(file()).rejects.toMatchObject({ name: 'NotFound' });
  });

  it.each([
    ['a GIF', { contentType: 'image/gif', size: 1000 }, '/body/contentType'],
    ['more than 1 MiB', { contentType: 'image/png', size: 2 * 1024 * 1024 }, '/body/size'],
  ])('refuses to start an upload of %s (400)', async (_, json, pointer) => {
    const { login, orgId } = await accountOwner();

    const response = await api('POST', `/v1/organizations/${orgId}/logo/uploads`, {
      token: login.idToken,
      json,
    });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [expect.objectContaining({ pointer })] });
  });

  it('refuses a file over 1 MB at the upload key, however it got there, and deletes it', async () => {
    const { login, orgId } = await accountOwner();
    // The upload URL signs the declared size, so only someone with the bucket's own rights can
    // put a larger file there: the logo step still reads no more than the limit.
    const started = await api('POST', `/v1/organizations/${orgId}/logo/uploads`, {
      token: login.idToken,
      json: { contentType: 'image/png', size: 1000 },
    });
    const { uploadId } = started.body as Upload;
    const png = makePng(270, 70);
    await s3Client().send(
      new PutObjectCommand({
        Bucket: local().documentsBucket,
        Key: `uploads/logos/${orgId}/${uploadId}`,
        Body: Buffer.concat([png, Buffer.alloc(1024 * 1024 + 1 - png.length)]),
      }),
    );

    const refused = await api('PUT', `/v1/organizations/${orgId}/logo`, {
      token: login.idToken,
      json: { uploadId },
    });
    const again = await api('PUT', `/v1/organizations/${orgId}/logo`, {
      token: login.idToken,
      json: { uploadId },
    });

    expect(refused).toMatchObject({
      status: 400,
      body: { errors: [{ pointer: '/body/uploadId', detail: 'The logo must be at most 1048576 bytes.' }] },
    });
    expect(again.status).toBe(404);
    expect(await logoOf(login.idToken, orgId)).toBeNull();
  });

  it('an upload S3 refuses to read is a 500 to retry, not a missing upload, and stays usable', async () => {
    const { login, orgId } = await accountOwner();
    const uploadId = await upload(login.idToken, orgId, makePng(540, 140));
    // S3 answers the function's read with an error it does not retry (a denied read, say).
    await failCalls('SetLogo', 'GetObject', 'AccessDenied');

    // Not through api(): the contract declares no 500.
    const refused = await callApi(local().apiUrl, 'PUT', `/v1/organizations/${orgId}/logo`, {
      token: login.idToken,
      json: { uploadId },
    });
    const retried = await api('PUT', `/v1/organizations/${orgId}/logo`, {
      token: login.idToken,
      json: { uploadId },
    });

    expect(refused.status).toBe(500);
    expect(retried).toMatchObject({ status: 200, body: { width: 540, height: 140 } });
  });

  it('only admins change the logo (403)', async () => {
    const { login: owner, orgId } = await accountOwner();
    const member = await addMember(owner, orgId);

    const response = await api('POST', `/v1/organizations/${orgId}/logo/uploads`, {
      token: member.idToken,
      json: { contentType: 'image/png', size: 1000 },
    });

    expect(response.status).toBe(403);
  });
});
