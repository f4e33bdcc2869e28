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
  /** The entity an item holds: its attributes, the defaults of those it was written without. */
  fromItem(item: Item): T;
}

/** Absent attributes rather than NULLs: "only if not set" conditions test for absence. */
const withoutNulls = (item: Item): Item =>
  Object.fromEntries(Object.entries(item).filter(([, value]) => value !== null && value !== undefined));

/** An attribute every item of the entity has, or may leave out where the entity's type makes it optional. */
export const stored = Symbol('stored');

/**
 * Every attribute of an entity, each `stored` or the value an item written before it existed
 * reads as. The type lists them all, so an attribute added to the entity is added here too.
 */
export type Attributes<T> = { readonly [K in keyof Required<T>]: typeof stored | T[K] };

/**
 * An entity's codec. Reading an item does not validate it (decision 94): items are written only
 * through codecs, from values the types and the requests' schemas have checked, so a read takes
 * the entity's attributes (the keys, the type and the repositories' own attributes stay behind)
 * and fills the defaults, without loading a schema library on the way. A unit test holds each
 * codec's reading equal to its zod schema's parse (test/unit/core/codecs.test.ts).
 */
export function codec<T>(options: {
  type: string;
  attributes: Attributes<T>;
  keys: (value: T) => ItemKeys;
  /** The stored attributes, when they are not the entity's fields as they are. */
  encode?: (value: T) => Item;
  /** The other way: the entity's fields from the stored attributes. */
  decode?: (item: Item) => Item;
}): Codec<T> {
  const attributes = Object.entries(options.attributes);
  return {
    type: options.type,
    keys: options.keys,
    toItem: (value) =>
      withoutNulls({
        ...(options.encode ? options.encode(value) : (value as Item)),
        ...options.keys(value),
        type: options.type,
      }),
    fromItem: (item) => {
      const fields = options.decode ? options.decode(item) : item;
      const value: Item = {};
      for (const [name, fallback] of attributes) {
        if (fields[name] !== undefined) value[name] = fields[name];
        else if (fallback !== stored) value[name] = fallback;
      }
      return value as T;
    },
  };
}

/** The partition every item of one customer account lives in. */
export const accountPartition = (organizationId: string) => `ORG#${organizationId}`;
