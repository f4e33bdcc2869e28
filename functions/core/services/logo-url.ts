import type { Organization } from '../entities/organization.ts';

/** How long a logo's download URL is valid. */
export const LOGO_URL_SECONDS = 300;

/**
 * A short-lived URL of the account's logo, if it has one. The S3 client and its presigner load
 * only when one is signed: most accounts have no logo, and loading them is about 20 ms of the
 * cold start of every function that shows an account (issue 16). The bundle keeps the module;
 * only its evaluation waits.
 */
export async function logoUrlOf(organization: Organization): Promise<string | null> {
  if (!organization.logoKey) return null;
  const { presignDownload } = await import('../repositories/documents.ts');
  return presignDownload(organization.logoKey, LOGO_URL_SECONDS);
}
