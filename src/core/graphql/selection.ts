// What a query asks for below a field, so a repository can select only the columns it needs
// (a page that shows its members' usernames should not read and ship every other column of
// each member). Read off the field's own AST, which graphql-js and graphql-jit both
// hand to resolvers in `info`.
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The names (not aliases) of the fields selected at the end of any of `paths` below the current
 * field, through fragments and inline fragments. Over-selects on purpose: `@skip`/`@include` and
 * type conditions are ignored, since reading a column nobody shows costs little and missing one
 * would be a wrong answer.
 */
export function selectedFieldsAt(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, paths: readonly (readonly string[])[]): ReadonlySet<string> {
  // One document's AST nodes are shared by every execution of it (the parsed-document cache),
  // so the answer is computed once per field of a document, not once per parent object.
  const first = info.fieldNodes[0];
  const cacheable = info.fieldNodes.length === 1 && first !== undefined;
  let byPaths = cacheable ? cache.get(first) : undefined;
  let key = pathKeys.get(paths);
  if (key === undefined) pathKeys.set(paths, (key = paths.map((p) => p.join('.')).join('|')));
  const hit = byPaths?.get(key);
  if (hit) return hit;
  const found = new Set<string>();
  for (const path of paths) {
    let level: FieldNode[] = [...info.fieldNodes];
    for (const name of path) level = fieldsOf(level, info.fragments).filter((f) => f.name.value === name);
    for (const f of fieldsOf(level, info.fragments)) found.add(f.name.value);
  }
  if (cacheable) {
    if (!byPaths) cache.set(first, (byPaths = new Map()));
    byPaths.set(key, found);
  }
  return found;
}

const cache = new WeakMap<FieldNode, Map<string, ReadonlySet<string>>>();
// Callers pass module-level path lists: their key is made once, not per parent object.
const pathKeys = new WeakMap<readonly (readonly string[])[], string>();

/** The fields directly selected below each of `nodes`, fragments spread in. */
function fieldsOf(nodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  const out: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>) => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) out.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet, seen);
      else if (!seen.has(s.name.value)) {
        // Validation rejects fragment cycles; `seen` only keeps a repeated spread from being walked twice.
        seen.add(s.name.value);
        visit(fragments[s.name.value]?.selectionSet, seen);
      }
    }
  };
  for (const n of nodes) visit(n.selectionSet, new Set());
  return out;
}
