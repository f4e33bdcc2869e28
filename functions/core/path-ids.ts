/**
 * A route's path parameters. Every one is an id — a ULID, or a user's UUID from Cognito — so
 * they are checked here, without zod: a route that only reads loads no schema library (decision
 * 94). Each id answers as the schema that describes it in the contract would (`PATH_ID_SCHEMAS`,
 * schemas.ts; a unit test holds them equal). API Gateway gives a matched route every parameter
 * of its path as a string.
 */

/** Crockford base 32, 26 letters: `newId()`'s ids (ids.ts). */
export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const NOT_A_ULID = 'Expected an id (ULID).';
/** RFC 9562 UUIDs, as `z.uuid()` takes them (zod/v4/core/regexes.js). */
export const UUID =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
export const NOT_A_USER_ID = 'Expected a user id.';

const AN_ID = [ULID, NOT_A_ULID] as const;
const FORMATS = {
  orgId: AN_ID,
  invitationId: AN_ID,
  productId: AN_ID,
  invoiceId: AN_ID,
  addressId: AN_ID,
  transferId: AN_ID,
  userId: [UUID, NOT_A_USER_ID],
} as const satisfies Record<string, readonly [RegExp, string]>;

export type PathId = keyof typeof FORMATS;

/** A field error of a path parameter, in the form zod gives one (http.ts reads both alike). */
interface Issue {
  path: PropertyKey[];
  message: string;
}
export type PathCheck<K extends PathId> =
  | { success: true; data: Record<K, string> }
  | { success: false; error: { issues: Issue[] } };

export interface PathIds<K extends PathId = never> {
  readonly ids: readonly K[];
  safeParse(parameters: unknown): PathCheck<K>;
}
/** Any route's path ids (`RequestSchemas`). */
export type AnyPathIds = { readonly ids: readonly PathId[] } & Pick<PathIds, 'safeParse'>;

export function pathIds<const K extends PathId>(...ids: K[]): PathIds<K> {
  return {
    ids,
    safeParse(parameters) {
      const given = (parameters ?? {}) as Record<string, unknown>;
      const issues = ids.flatMap((id): Issue[] => {
        const [format, message] = FORMATS[id];
        const value = given[id];
        return typeof value === 'string' && format.test(value) ? [] : [{ path: [id], message }];
      });
      if (issues.length > 0) return { success: false, error: { issues } };
      return {
        success: true,
        data: Object.fromEntries(ids.map((id) => [id, given[id]])) as Record<K, string>,
      };
    },
  };
}

export const OrgPath = pathIds('orgId');
export const MemberPath = pathIds('orgId', 'userId');
export const InvitationPath = pathIds('orgId', 'invitationId');
export const ProductPath = pathIds('orgId', 'productId');
export const InvoicePath = pathIds('orgId', 'invoiceId');
export const AddressPath = pathIds('orgId', 'addressId');
export const TransferPath = pathIds('orgId', 'transferId');
