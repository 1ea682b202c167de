// From a selection to the columns of a row that answer it, using the fields' @Reads
// declarations (core/read/reads.ts). Computed once per field of a document (the AST is shared
// by every execution of a cached document), never per parent object or per row.
import { getNamedType, isObjectType, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import { canonicalKey } from '../sql-shape.js';
import { selectedFieldsAt } from '../graphql/selection.js';
import { fieldReads, typeReads } from './reads.js';

/** The object type reached from the current field's type along `path` (list and non-null unwrapped). */
export function typeAt(info: Pick<GraphQLResolveInfo, 'returnType'>, path: readonly string[]): GraphQLObjectType {
  let type = getNamedType(info.returnType);
  for (const name of path) {
    if (!isObjectType(type)) break;
    const field = type.getFields()[name];
    if (!field) throw new Error(`typeAt: ${type.name} has no field ${name}`);
    type = getNamedType(field.type);
  }
  if (!isObjectType(type)) throw new Error(`typeAt: ${path.join('.')} is not an object type`);
  return type;
}

/**
 * The columns (sorted, `always` included) that answer every field of `fields` on `type`.
 * `seesSelf`: the viewer sees every row's private fields, so self-checked fields need no `id`.
 * A field without a declaration (which test/reads.test.ts forbids) makes it answer null: the
 * caller reads the whole row, so a slip costs speed, never a wrong answer. A type declared
 * whole-row cannot be read partially.
 */
export function columnsFor<C extends string>(type: GraphQLObjectType, fields: Iterable<string>, seesSelf: boolean, always: readonly C[] = []): readonly C[] | null {
  if (typeReads(type) === 'whole-row') throw new Error(`${type.name} is declared whole-row: declare its fields with @Reads to read it partially`);
  const columns = new Set<string>(always);
  for (const f of fields) {
    if (f === '__typename') continue;
    const reads = fieldReads(type, f);
    if (!reads) return null;
    for (const c of reads.columns) if (!(seesSelf && reads.self && c === 'id')) columns.add(c);
  }
  return Object.freeze([...columns].sort()) as readonly C[];
}

/**
 * A read plan memoized per field of a document and per `variant` (e.g. whether the viewer sees
 * every user's private fields): `make` runs once, and the plan carries `key`, the canonical
 * printing of its content, for loader-family keys and shape inputs. Equal plans print alike
 * whatever object holds them.
 */
export function planCache<P extends object>(make: (info: GraphQLResolveInfo, variant: number) => P): (info: GraphQLResolveInfo, variant: number) => P & { readonly key: string } {
  const byNode = new WeakMap<object, (P & { readonly key: string })[]>();
  return (info, variant) => {
    const node = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
    const known = node && byNode.get(node)?.[variant];
    if (known) return known;
    const content = make(info, variant);
    const plan = Object.freeze({ ...content, key: canonicalKey(content) });
    if (node) {
      let variants = byNode.get(node);
      if (!variants) byNode.set(node, (variants = []));
      variants[variant] = plan;
    }
    return plan;
  };
}

export { selectedFieldsAt };
