import type * as z from 'zod/mini';
import { PARSE } from '../parse-options.ts';

/**
 * How entities are stored in the one table (docs/data-model.md): every item has `pk`/`sk`, some
 * the keys of GSI1 (the inverse side of a relation) or GSI2 (the sparse term-end index of products, the open invoices), and its
 * entity's name as `type`. The keys and the type belong to the table, not to the entity.
 */
export interface ItemKeys {
  pk: string;
  sk: string;
  gsi1pk?: string;
  gsi1sk?: string;
  gsi2pk?: string;
  gsi2sk?: string;
}

export type Item = Record<string, unknown>;

/** An entity's way in and out of the table: its keys, and one way to map an item back. */
export interface Codec<T> {
  readonly type: string;
  keys(value: T): ItemKeys;
  toItem(value: T): Item;
  /** A zod parse of the stored item: it drops the keys and the type, and fills defaults. */
  fromItem(item: Item): T;
}

/** Absent attributes rather than NULLs: "only if not set" conditions test for absence. */
const withoutNulls = (item: Item): Item =>
  Object.fromEntries(Object.entries(item).filter(([, value]) => value !== null && value !== undefined));

export function codec<T>(options: {
  type: string;
  schema: z.ZodMiniType<T>;
  keys: (value: T) => ItemKeys;
  /** The stored attributes, when they are not the entity's fields as they are. */
  encode?: (value: T) => Item;
}): Codec<T> {
  return {
    type: options.type,
    keys: options.keys,
    toItem: (value) =>
      withoutNulls({
        ...(options.encode ? options.encode(value) : (value as Item)),
        ...options.keys(value),
        type: options.type,
      }),
    fromItem: (item) => options.schema.parse(item, PARSE),
  };
}

/** The partition every item of one customer account lives in. */
export const accountPartition = (organizationId: string) => `ORG#${organizationId}`;

/** A key part that sorts a collection inside a partition: `PRODUCT#` + id. */
export const sortKey = (prefix: string, id: string) => `${prefix}${id}`;
