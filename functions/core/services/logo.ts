import type { Caller } from '../caller.ts';
import {
  DAMAGED,
  LOGO_RULES,
  type LogoType,
  logoKey,
  logoProblems,
  logoUploadKey,
  NOT_PNG_OR_JPEG,
  TOO_LARGE,
} from '../entities/logo.ts';
import { NotFound, ValidationFailed } from '../errors.ts';
import { newId } from '../ids.ts';
import { decodesFully, inspectImage } from '../images.ts';
import { presignDownload } from '../repositories/document-urls.ts';
import { deleteObject, presignUpload, readObject, writeObject } from '../repositories/documents.ts';
import { setOrganizationLogo } from '../repositories/organizations.ts';
import { LOGO_URL_SECONDS } from './logo-url.ts';
import { requireAdmin } from './organizations.ts';

/** R6, step 1: an admin gets a presigned URL to upload the file to. */
export async function startLogoUpload(
  caller: Caller,
  organizationId: string,
  file: { contentType: LogoType; size: number },
) {
  await requireAdmin(caller, organizationId);
  const uploadId = newId();
  const url = await presignUpload(
    logoUploadKey(organizationId, uploadId),
    file.contentType,
    file.size,
    LOGO_RULES.uploadUrlSeconds,
  );
  return {
    uploadId,
    method: 'PUT',
    url,
    headers: { 'content-type': file.contentType },
    expiresAt: new Date(Date.now() + LOGO_RULES.uploadUrlSeconds * 1000).toISOString(),
  };
}

/**
 * R6, step 2: the uploaded file is checked (type from its bytes, size, dimensions) before it
 * becomes the logo; a refused file is deleted.
 */
export async function acceptLogo(caller: Caller, organizationId: string, uploadId: string) {
  await requireAdmin(caller, organizationId);
  const uploadKey = logoUploadKey(organizationId, uploadId);
  const bytes = await readObject(uploadKey, LOGO_RULES.maxBytes);
  if (bytes === undefined) throw new NotFound(`No uploaded file ${uploadId}; upload it to the URL first.`);
  // A refused file is deleted, so that its upload id cannot be offered again.
  const refuse = async (problems: string[]): Promise<never> => {
    await deleteObject(uploadKey);
    throw new ValidationFailed(
      problems.map((detail) => ({ pointer: '/body/uploadId', detail })),
      'The uploaded file cannot be used as a logo.',
    );
  };
  if (bytes === 'too-large') return refuse([TOO_LARGE]);
  const info = inspectImage(bytes);
  if (!info) return refuse([NOT_PNG_OR_JPEG]);
  const problems = logoProblems({ ...info, bytes: bytes.length });
  // The header is within the rules: the whole file must then decode to that image.
  if (problems.length === 0 && !decodesFully(bytes, info)) problems.push(DAMAGED);
  if (problems.length > 0) return refuse(problems);
  const key = logoKey(organizationId, uploadId, info.type);
  await writeObject(key, bytes, info.type);
  const previous = await setOrganizationLogo(organizationId, key);
  await Promise.all([
    deleteObject(uploadKey),
    ...(previous && previous !== key ? [deleteObject(previous)] : []),
  ]);
  return { logoUrl: await presignDownload(key, LOGO_URL_SECONDS), width: info.width, height: info.height };
}

/** The account shows its name again. */
export async function removeLogo(caller: Caller, organizationId: string): Promise<void> {
  await requireAdmin(caller, organizationId);
  const previous = await setOrganizationLogo(organizationId, null);
  if (previous) await deleteObject(previous);
}
