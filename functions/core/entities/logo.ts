/**
 * R6: an account's logo replaces its name in the top-left corner, shown in a 270×70 px box.
 * Accepted: PNG or JPEG, at most 1 MiB, from 270×70 up to 2700×700 px (sharp on high-density
 * screens), with the box's aspect ratio (27:7) within 10 %.
 */
export const LOGO_RULES = {
  types: ['image/png', 'image/jpeg'] as const,
  maxBytes: 1024 * 1024,
  minWidth: 270,
  minHeight: 70,
  maxWidth: 2700,
  maxHeight: 700,
  /** The box's proportions, 27:7, and how far a logo may be from them, in per cent. */
  aspect: { width: 27, height: 7, tolerancePercent: 10 },
  /** How long the upload URL is valid. */
  uploadUrlSeconds: 300,
};

export type LogoType = (typeof LOGO_RULES.types)[number];

/** Where an upload waits to be checked (expired by the bucket's lifecycle) and where accepted logos live. */
export const logoUploadKey = (organizationId: string, uploadId: string) =>
  `uploads/logos/${organizationId}/${uploadId}`;
export const logoKey = (organizationId: string, uploadId: string, type: LogoType) =>
  `logos/${organizationId}/${uploadId}.${type === 'image/png' ? 'png' : 'jpg'}`;

/** The refusals a file gets besides its dimensions: its type, its size, a body that does not decode. */
export const NOT_PNG_OR_JPEG = 'The logo must be a PNG or JPEG image.';
export const TOO_LARGE = `The logo must be at most ${LOGO_RULES.maxBytes} bytes.`;
export const DAMAGED = 'The file is damaged or incomplete: it does not decode as a whole image.';

/** The reasons an image is refused, empty when it is accepted. */
export function logoProblems(info: { type: string; width: number; height: number; bytes: number }): string[] {
  const r = LOGO_RULES;
  const problems: string[] = [];
  if (!(r.types as readonly string[]).includes(info.type)) problems.push(NOT_PNG_OR_JPEG);
  if (info.bytes > r.maxBytes) problems.push(TOO_LARGE);
  if (info.width < r.minWidth || info.height < r.minHeight) {
    problems.push(`The logo must be at least ${r.minWidth}×${r.minHeight} px.`);
  }
  if (info.width > r.maxWidth || info.height > r.maxHeight) {
    problems.push(`The logo must be at most ${r.maxWidth}×${r.maxHeight} px.`);
  }
  // |(w/h) / (27/7) − 1| ≤ 10 %, in integers: exactly 10 % off is still within.
  const { width, height, tolerancePercent } = r.aspect;
  const off = Math.abs(info.width * height - info.height * width) * 100;
  if (off > info.height * width * tolerancePercent) {
    problems.push('The logo must have the proportions of 270×70 px (27:7).');
  }
  return problems;
}
