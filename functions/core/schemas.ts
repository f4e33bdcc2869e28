import countryCodes from 'i18n-iso-countries/codes.json' with { type: 'json' };
import * as z from 'zod/mini';
import { lazy } from './lazy-schema.ts';
import { NOT_A_ULID, NOT_A_USER_ID, type PathId, ULID } from './path-ids.ts';

/** Request pieces shared by several routes. */
/** The one id schema: ULIDs, Crockford's base 32 (sortable by creation). */
/**
 * What free text may not hold: control characters (NUL, CR, LF, tab…), line and paragraph
 * separators, the bidirectional controls that reorder what is shown (RLO U+202E and the
 * like), invisible formatting (zero-width space, word joiner, BOM). Joiners used by scripts
 * and emoji (ZWJ, ZWNJ) stay allowed.
 */
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;
export const UNSAFE_TEXT = 'Control characters and text-direction overrides are not allowed.';

/** A text as it may be printed (e-mail subject, PDF): whatever UNSAFE holds becomes a space. */
export const printable = (text: string): string =>
  text.toWellFormed().replace(new RegExp(UNSAFE.source, 'gu'), ' ');

/** Whether a text is safe to show, store, put in an e-mail subject or a PDF. */
export const isSafeText = (text: string): boolean => text.isWellFormed() && !UNSAFE.test(text);

/**
 * Free text a person typed (names, addresses, notes): Unicode NFC, trimmed, within length,
 * nothing of UNSAFE — a field error otherwise, never a silent change.
 */
export const Text = (max: number, min = 1) =>
  z.pipe(
    z.pipe(
      z.string().check(z.maxLength(max * 4), z.refine(isSafeText, UNSAFE_TEXT)),
      z.transform((text) => text.normalize('NFC').trim()),
    ),
    z.string().check(z.minLength(min), z.maxLength(max)),
  );

/**
 * The schema a shared lazy one stands for, built now: to extend it, pick from it or read its
 * shape. The entity and request schemas that many modules import are `z.lazy`, so that a
 * function builds only the schemas its own calls use, on first use (issue 16, decision 91).
 */
export const built = <T extends z.core.SomeType>(schema: z.ZodMiniLazy<T>): T => schema._zod.innerType;

/** A page cursor as the API hands it out (functions/core/cursor.ts checks its signature). */
export const Cursor = /* @__PURE__ */ z
  .string()
  .check(
    /* @__PURE__ */ z.maxLength(2000),
    /* @__PURE__ */ z.regex(/^[A-Za-z0-9_.-]+$/, 'Not a cursor from a previous page of this list.'),
  );

/**
 * The query of every list route (issue 14): a page size, and the `nextCursor` of the page
 * before. Pages are cut by the server: the last page answers `nextCursor: null`.
 */
export const PageQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    limit: z
      ._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20)
      .check(z.describe('How many items a page holds, 1–100 (20 when not given).')),
    cursor: z.optional(Cursor.check(z.describe('The `nextCursor` of the previous page.'))),
  }),
);
export type PageQuery = z.infer<typeof PageQuery>;

export const Ulid = /* @__PURE__ */ z.string().check(/* @__PURE__ */ z.regex(ULID, NOT_A_ULID));
export const OrganizationId = /* @__PURE__ */ Ulid.check(
  /* @__PURE__ */ z.describe('An organization id (ULID).'),
);
export const InvitationId = /* @__PURE__ */ Ulid.check(
  /* @__PURE__ */ z.describe('An invitation id (ULID).'),
);
/** Cognito subjects are UUIDs. */
export const UserId = /* @__PURE__ */ z.uuid(NOT_A_USER_ID);
export const EmailAddress = /* @__PURE__ */ z
  .email('Expected an e-mail address.')
  .check(/* @__PURE__ */ z.maxLength(254));
/** A link token from an e-mail: dot-separated ids and a base64url secret. */
export const LinkToken = /* @__PURE__ */ lazy(() =>
  z
    .string()
    .check(z.minLength(20), z.maxLength(300), z.regex(/^[A-Za-z0-9._-]+$/, 'Not a valid link token.')),
);

export const ProductId = /* @__PURE__ */ Ulid.check(/* @__PURE__ */ z.describe('A product id (ULID).'));
/** What each path parameter is, for the contract; `path-ids.ts` checks them as these would. */
export const PATH_ID_SCHEMAS = {
  orgId: OrganizationId,
  invitationId: InvitationId,
  productId: ProductId,
  invoiceId: Ulid,
  addressId: Ulid,
  transferId: Ulid,
  userId: UserId,
} satisfies Record<PathId, z.ZodMiniType<string>>;
/** An assigned ISO 3166-1 alpha-2 country code (CH, IT, …), upper-cased. */
export const CountryCode = /* @__PURE__ */ lazy(() => {
  // The assigned codes, from i18n-iso-countries' own code table: its entry module also builds
  // name tables and a diacritics map that nothing here reads, about 5 ms of every cold start
  // that validates a request (issue 16). Built with the schema, so only a route that checks a
  // country has them (decision 94).
  const countries = new Set(countryCodes.map(([alpha2]) => alpha2));
  return z.string().check(
    z.trim(),
    z.toUpperCase(),
    z.refine(
      (code) => /^[A-Z]{2}$/.test(code) && countries.has(code),
      'Not a country: use its ISO 3166 two-letter code (CH, IT, DE, FR…).',
    ),
  );
});
