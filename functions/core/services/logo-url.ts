import type { Organization } from '../entities/organization.ts';
import { presignDownload } from '../repositories/document-urls.ts';

/** How long a logo's download URL is valid. */
export const LOGO_URL_SECONDS = 300;

/**
 * A short-lived URL of the account's logo, if it has one, signed without the S3 client
 * (repositories/document-urls.ts).
 */
export async function logoUrlOf(organization: Organization): Promise<string | null> {
  if (!organization.logoKey) return null;
  return presignDownload(organization.logoKey, LOGO_URL_SECONDS);
}
