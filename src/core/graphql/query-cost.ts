// The measures of an operation the limits (limits.ts) judge: depth, aliases and cost.
//
// Cost: every field 1; a field that can return many objects multiplies the cost of what is
// selected inside by how many it can return — a page by its first/last, `nodes(ids:)` by its
// ids, introspection's lists by the schema's real sizes, any other list by its declared bound
// (the field's `maxItems` extension) or a full page. Abstract selections cost their dearest
// type's branch. The figure is an upper bound of the objects an answer can hold, known before
// anything runs, and is what callers are charged (rate limits) and shown (extensions.cost).
//
// Every measure is one walk of the document in which each fragment is measured once (memoised
// by name, a fragment being spread in progress counts 0): time is linear in the document, even
// for fragments that spread each other exponentially often, and fragment cycles (refused by
// validation) cannot loop.
import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  getVariableValues,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './connection.js';

/** What a list without paging or a declared bound is taken to return: a full page. */
const DEFAULT_LIST_BOUND = MAX_PAGE_SIZE;

/**
 * The sets of objects introspection's lists run over, by the real sizes of the schema: `one` is a
 * single object; `types` all of `__schema.types`, `fields` all their fields, `directives` all of
 * `__schema.directives`. Walking `__schema { types { fields { args } } }` as sets costs what the
 * answer holds (every type, field and argument once) instead of the product of the largest
 * type's fields by the largest field's arguments for every type.
 */
type ObjectSet = 'one' | 'types' | 'fields' | 'directives';

interface SchemaSizes {
  setSize: Record<ObjectSet, number>;
  /** By `${set}|${Type.field}`: how many items that list holds across the whole set. */
  totals: Map<string, { items: number; set: ObjectSet | null }>;
  /** By `Type.field`: the most items introspection's list holds for any one object. */
  perObject: Map<string, number>;
}

const schemaSizes = new WeakMap<GraphQLSchema, SchemaSizes>();

function sizesOf(schema: GraphQLSchema): SchemaSizes {
  let sizes = schemaSizes.get(schema);
  if (sizes) return sizes;
  const count = { fields: 0, args: 0, interfaces: 0, possibleTypes: 0, enumValues: 0, inputFields: 0, directiveArgs: 0 };
  const most = { fields: 0, args: 0, interfaces: 0, possibleTypes: 0, enumValues: 0, inputFields: 0, directiveArgs: 0, locations: 0 };
  const add = (key: keyof typeof count, n: number) => {
    count[key] += n;
    most[key] = Math.max(most[key], n);
  };
  const types = Object.values(schema.getTypeMap());
  for (const type of types) {
    if (isObjectType(type) || isInterfaceType(type)) {
      const fields = Object.values(type.getFields());
      add('fields', fields.length);
      for (const f of fields) add('args', f.args.length);
      add('interfaces', type.getInterfaces().length);
    }
    if (isAbstractType(type)) add('possibleTypes', schema.getPossibleTypes(type).length);
    if (isEnumType(type)) add('enumValues', type.getValues().length);
    if (isInputObjectType(type)) add('inputFields', Object.keys(type.getFields()).length);
  }
  const directives = schema.getDirectives();
  for (const d of directives) {
    add('directiveArgs', d.args.length);
    most.locations = Math.max(most.locations, d.locations.length);
  }
  sizes = {
    setSize: { one: 1, types: types.length, fields: count.fields, directives: directives.length },
    totals: new Map([
      ['one|__Schema.types', { items: types.length, set: 'types' }],
      ['one|__Schema.directives', { items: directives.length, set: 'directives' }],
      ['types|__Type.fields', { items: count.fields, set: 'fields' }],
      ['types|__Type.interfaces', { items: count.interfaces, set: null }],
      ['types|__Type.possibleTypes', { items: count.possibleTypes, set: null }],
      ['types|__Type.enumValues', { items: count.enumValues, set: null }],
      ['types|__Type.inputFields', { items: count.inputFields, set: null }],
      ['fields|__Field.args', { items: count.args, set: null }],
      ['directives|__Directive.args', { items: count.directiveArgs, set: null }],
    ]),
    perObject: new Map([
      ['__Schema.types', types.length],
      ['__Schema.directives', directives.length],
      ['__Type.fields', most.fields],
      ['__Type.interfaces', most.interfaces],
      ['__Type.possibleTypes', most.possibleTypes],
      ['__Type.enumValues', most.enumValues],
      ['__Type.inputFields', most.inputFields],
      ['__Field.args', most.args],
      ['__Directive.args', most.directiveArgs],
      ['__Directive.locations', most.locations],
    ]),
  };
  schemaSizes.set(schema, sizes);
  return sizes;
}

function fieldDef(schema: GraphQLSchema, parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (parent && parent === schema.getQueryType()) {
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
  }
  return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
}

/** Thrown inside a walk: the variables the cost depends on do not coerce. */
const NOT_COERCIBLE = Symbol('variables do not coerce');

/** One cost walk: an operation with one set of variables. */
class CostWalk {
  /** Set when a multiplier came from a variable: the cost then depends on the variables. */
  usesVariables = false;
  private readonly fragmentCosts = new Map<string, number>();
  private readonly inProgress = new Set<string>();
  private coerced: Record<string, unknown> | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly sizes: SchemaSizes,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly operation: OperationDefinitionNode,
    private readonly variables: Record<string, unknown>,
  ) {}

  /** The operation's cost, and the part of it its root introspection fields (`__schema`, `__type`) make. */
  operationCost(): { cost: number; introspection: number } {
    const op = this.operation;
    const root = op.operation === 'query' ? this.schema.getQueryType() : op.operation === 'mutation' ? this.schema.getMutationType() : this.schema.getSubscriptionType();
    const cost = this.selectionSet(op.selectionSet, root ?? undefined, 'one');
    // (Walked again for the split: fragments are memoised, so this stays linear in the document.)
    let introspection = 0;
    for (const s of op.selectionSet.selections) {
      if (s.kind === Kind.FIELD && (s.name.value === '__schema' || s.name.value === '__type')) introspection += this.field(s, root ?? undefined, 'one');
    }
    return { cost, introspection };
  }

  private selectionSet(set: SelectionSetNode, parent: GraphQLNamedType | undefined, objects: ObjectSet): number {
    let common = 0;
    let branches: Map<string, number> | undefined;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        common += this.field(s, parent, objects);
        continue;
      }
      let type: GraphQLNamedType | undefined;
      let cost: number;
      if (s.kind === Kind.INLINE_FRAGMENT) {
        type = s.typeCondition ? this.schema.getType(s.typeCondition.name.value) : parent;
        cost = this.selectionSet(s.selectionSet, type, objects);
      } else {
        const fragment = this.fragments.get(s.name.value);
        if (!fragment) continue;
        type = this.schema.getType(fragment.typeCondition.name.value);
        cost = this.fragment(fragment, type, objects);
      }
      // On an interface or union, each object is one of its types: the dearest branch counts.
      if (parent && isAbstractType(parent) && type && isObjectType(type)) {
        branches ??= new Map();
        branches.set(type.name, (branches.get(type.name) ?? 0) + cost);
      } else common += cost;
    }
    if (branches) common += Math.max(...branches.values());
    return common;
  }

  private fragment(fragment: FragmentDefinitionNode, type: GraphQLNamedType | undefined, objects: ObjectSet): number {
    const key = `${fragment.name.value}|${objects}`;
    let cost = this.fragmentCosts.get(key);
    if (cost !== undefined) return cost;
    if (this.inProgress.has(key)) return 0;
    this.inProgress.add(key);
    cost = this.selectionSet(fragment.selectionSet, type, objects);
    this.inProgress.delete(key);
    this.fragmentCosts.set(key, cost);
    return cost;
  }

  private field(node: FieldNode, parent: GraphQLNamedType | undefined, objects: ObjectSet): number {
    // The field resolves once for each object of the set it is selected on.
    const resolved = this.sizes.setSize[objects];
    const def = fieldDef(this.schema, parent, node.name.value);
    const inner = node.selectionSet;
    const type = def && getNamedType(def.type);
    if (def && parent && isListType(getNullableType(def.type))) {
      const total = this.sizes.totals.get(`${objects}|${parent.name}.${def.name}`);
      if (total) {
        if (!inner) return resolved;
        return resolved + (total.set ? this.selectionSet(inner, type, total.set) : total.items * this.selectionSet(inner, type, 'one'));
      }
    }
    if (!inner) return resolved;
    return resolved * (1 + this.multiplier(node, def, parent) * this.selectionSet(inner, type, 'one'));
  }

  /** How many objects one resolution of the field can return. */
  private multiplier(node: FieldNode, def: GraphQLField<unknown, unknown> | undefined, parent: GraphQLNamedType | undefined): number {
    if (!def || !parent) return 1;
    if (def.args.some((a) => a.name === 'first')) {
      const size = this.intArgument(node, 'first') ?? this.intArgument(node, 'last') ?? DEFAULT_PAGE_SIZE;
      return Math.max(1, size);
    }
    if (!isListType(getNullableType(def.type))) return 1;
    // A list sized by a `limit` argument (offset/limit lists): as many as it asks for, else its bound.
    if (def.args.some((a) => a.name === 'limit')) {
      const limit = this.intArgument(node, 'limit');
      if (limit !== undefined) return Math.max(1, limit);
    }
    // The items of a page: the page's field above already multiplied by its size.
    if ((isObjectType(parent) || isInterfaceType(parent)) && 'pageInfo' in parent.getFields()) return 1;
    const declared = def.extensions?.maxItems;
    if (typeof declared === 'number' && declared >= 0) return declared;
    const introspected = this.sizes.perObject.get(`${parent.name}.${def.name}`);
    if (introspected !== undefined) return introspected;
    // Relay's nodes(ids:): one object per id.
    if (def.args.some((a) => a.name === 'ids')) return this.listLength(node, 'ids');
    return DEFAULT_LIST_BOUND;
  }

  private argument(node: FieldNode, name: string): ValueNode | undefined {
    return node.arguments?.find((a) => a.name.value === name)?.value;
  }

  private intArgument(node: FieldNode, name: string): number | undefined {
    const value = this.argument(node, name);
    if (value?.kind === Kind.INT) return Number.parseInt(value.value, 10);
    if (value?.kind === Kind.VARIABLE) {
      const v = this.variable(value.name.value);
      return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
    }
    return undefined;
  }

  private listLength(node: FieldNode, name: string): number {
    const value = this.argument(node, name);
    if (!value || value.kind === Kind.NULL) return 0;
    if (value.kind === Kind.LIST) return value.values.length;
    if (value.kind !== Kind.VARIABLE) return 1;
    const v = this.variable(value.name.value);
    return Array.isArray(v) ? v.length : v == null ? 0 : 1;
  }

  private variable(name: string): unknown {
    this.usesVariables = true;
    if (!this.coerced) {
      const result = getVariableValues(this.schema, this.operation.variableDefinitions ?? [], this.variables, { maxErrors: 1 });
      if (result.errors) throw NOT_COERCIBLE;
      this.coerced = result.coerced;
    }
    return this.coerced[name];
  }
}

/** Depth and aliases: figures of the document alone, each fragment measured once. */
export function shapeOf(operations: readonly OperationDefinitionNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): { depth: number; aliases: number } {
  const memo = new Map<string, { depth: number; aliases: number }>();
  const inProgress = new Set<string>();
  const walk = (set: SelectionSetNode): { depth: number; aliases: number } => {
    let depth = 0;
    let aliases = 0;
    for (const s of set.selections) {
      let inner: { depth: number; aliases: number };
      if (s.kind === Kind.FIELD) {
        if (s.alias) aliases++;
        if (!s.selectionSet) {
          if (!s.name.value.startsWith('__')) depth = Math.max(depth, 1);
          continue;
        }
        inner = walk(s.selectionSet);
        aliases += inner.aliases;
        // Introspection's own fields (__schema, __type) nest by the schema's shape, not the caller's.
        if (!s.name.value.startsWith('__')) depth = Math.max(depth, 1 + inner.depth);
        continue;
      }
      if (s.kind === Kind.INLINE_FRAGMENT) inner = walk(s.selectionSet);
      else {
        const name = s.name.value;
        const fragment = fragments.get(name);
        const known = memo.get(name);
        if (known) inner = known;
        else if (!fragment || inProgress.has(name)) inner = { depth: 0, aliases: 0 };
        else {
          inProgress.add(name);
          inner = walk(fragment.selectionSet);
          inProgress.delete(name);
          memo.set(name, inner);
        }
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
    }
    return { depth, aliases };
  };
  let depth = 0;
  let aliases = 0;
  for (const op of operations) {
    const shape = walk(op.selectionSet);
    depth = Math.max(depth, shape.depth);
    aliases = Math.max(aliases, shape.aliases);
  }
  return { depth, aliases };
}

/** Depth of the deepest selection, not counting introspection (__schema, __type) fields. */
export function queryDepth(doc: DocumentNode, operationName?: string | null): number {
  const { operations, fragments } = partsOf(doc, operationName ?? undefined);
  return shapeOf(operations, fragments).depth;
}

export function partsOf(doc: DocumentNode, operationName: string | undefined) {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const d of doc.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName)) operations.push(d);
  }
  return { operations, fragments };
}

/** The cost, or null when the variables it depends on do not coerce. */
export function operationCost(
  schema: GraphQLSchema,
  operations: readonly OperationDefinitionNode[],
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): { cost: number | null; introspection: number; usesVariables: boolean } {
  let max = 0;
  let introspection = 0;
  let usesVariables = false;
  const sizes = sizesOf(schema);
  for (const op of operations) {
    const walk = new CostWalk(schema, sizes, fragments, op, variables);
    try {
      const c = walk.operationCost();
      if (c.cost >= max) [max, introspection] = [c.cost, c.introspection];
    } catch (err) {
      if (err === NOT_COERCIBLE) return { cost: null, introspection: 0, usesVariables: true };
      if (err instanceof RangeError) return { cost: Number.MAX_SAFE_INTEGER, introspection: 0, usesVariables: walk.usesVariables };
      throw err;
    }
    usesVariables ||= walk.usesVariables;
  }
  // Exponential documents give numbers past exact integers (or Infinity): the refusal says so.
  const exact = (n: number) => (n <= Number.MAX_SAFE_INTEGER ? n : Number.MAX_SAFE_INTEGER);
  return { cost: exact(max), introspection: exact(introspection), usesVariables };
}
