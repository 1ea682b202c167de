// Which columns of its row each GraphQL field reads, declared on the field itself with
// type-graphql's public @Extensions and read back from the built schema (`field.extensions`).
// A read layer (a module's *.read.ts) turns a selection into the columns to read from these
// declarations, so a module adding a field states its columns where it writes the field, and
// needs nothing outside its folder and core/. test/reads.test.ts fails when a field of an
// object type has no declaration, and when a field reads a column its declaration leaves out.
import type { GraphQLObjectType } from 'graphql';
import { Extensions } from 'type-graphql';

/** The extension key the declarations live under. */
const KEY = 'reads';

export interface ReadsOptions {
  /**
   * The field is private to its user: it reads the row's `id` only to compare it with the
   * viewer's, so a viewer who sees every user's private fields (an instance admin) needs no id.
   */
  self?: true;
}

/** One field's declaration: the columns it reads, and whether `id` is only a self check. */
export interface FieldReads {
  readonly columns: readonly string[];
  readonly self: boolean;
}

/** A type-level declaration: the type is not a row (`no-row`), or only ever built from a whole row. */
export type TypeReads = 'no-row' | 'whole-row';

/**
 * The columns of its row a field reads (`@Reads('displayName', 'firstName', 'lastName',
 * 'username')`; `@Reads()` for none). On @Field properties and getters and on @FieldResolver
 * methods. `{ self: true }`: see ReadsOptions.
 */
export function Reads(...args: (string | ReadsOptions)[]): MethodDecorator & PropertyDecorator {
  const columns = args.filter((a): a is string => typeof a === 'string');
  const self = args.some((a) => typeof a === 'object' && a.self === true);
  if (self && !columns.includes('id')) columns.push('id');
  const reads: FieldReads = Object.freeze({ columns: Object.freeze(columns), self });
  return Extensions({ [KEY]: reads }) as MethodDecorator & PropertyDecorator;
}

/** `Reads` with the column names checked against a row type: `const UserReads = readsOf<keyof UserRow>()`. */
export function readsOf<C extends string>(): (...args: (C | ReadsOptions)[]) => MethodDecorator & PropertyDecorator {
  return Reads;
}

/**
 * A type whose fields are not read from a row (payloads, connections, edges, page info, values
 * built by a service): its fields need no declaration.
 */
export const ReadsNoRow = (): ClassDecorator => Extensions({ [KEY]: 'no-row' satisfies TypeReads }) as ClassDecorator;

/**
 * A type only ever built from a whole row (its `from` takes the full row type): no read plans a
 * partial row of it, so its fields need no declaration. A read layer that wants to read it
 * partially must declare its fields first (planColumns refuses it otherwise).
 */
export const ReadsWholeRow = (): ClassDecorator => Extensions({ [KEY]: 'whole-row' satisfies TypeReads }) as ClassDecorator;

/** A field's declaration in a built schema, if it has one. */
export function fieldReads(type: GraphQLObjectType, field: string): FieldReads | undefined {
  return type.getFields()[field]?.extensions?.[KEY] as FieldReads | undefined;
}

/** A type's type-level declaration in a built schema, if it has one. */
export function typeReads(type: GraphQLObjectType): TypeReads | undefined {
  return type.extensions?.[KEY] as TypeReads | undefined;
}
