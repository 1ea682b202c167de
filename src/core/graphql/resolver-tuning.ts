// type-graphql's schema, with its per-field wrappers removed where they do nothing. type-graphql
// wraps every field in a resolver that builds a resolver-data object and runs the middleware
// chain (empty here: authorization lives in the services), and graphql-jit turns every field
// that has a resolver into a deferred call; on list pages those wrappers, not the domain code,
// were the gateway's own largest cost. The tuning:
//   - plain `@Field` properties resolve as property reads (the public `simpleResolvers` option,
//     made the default for every type an author did not decide for);
//   - `@FieldResolver`s whose parameters are only root, context, info and scalar or enum
//     arguments get a direct call (the same method, on one instance of the resolver class);
//   - `@Field` getters are read as properties;
//   - connections' `totalCount` (a promise) gets a resolver, which graphql-jit awaits.
//
// It never removes or bypasses a guard: a field or type that carries `@Authorized` or
// `@UseMiddleware` (on the field, its class, an ancestor or an interface of it, or the resolver
// class), and every field when global middlewares or an auth checker are configured, keeps
// type-graphql's own resolver. A build that would answer a guarded field without a resolver
// fails (assertGuardsKept). The metadata read is type-graphql's public MetadataStorage (typed in
// its .d.ts), as collected by the decorators — never what a build wrote back into it.
import { getNamedType, isLeafType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage, type BuildSchemaOptions } from 'type-graphql';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type TypeMetadata = MetadataStorage['objectTypes'][number] | MetadataStorage['interfaceTypes'][number];
type ParamMetadata = MetadataStorage['params'][number];

/** Where `@Authorized` and `@UseMiddleware` were written: per class, its guarded fields or all of them. */
class Guards {
  private readonly byClass = new Map<Function, Set<string> | 'every field'>();

  constructor(storage: MetadataStorage) {
    for (const { target, fieldName } of [...storage.authorizedFields, ...storage.middlewares]) this.add(target, fieldName);
    for (const { target } of [...storage.authorizedResolver, ...storage.resolverMiddlewares]) this.add(target, null);
  }

  private add(target: Function, field: string | null): void {
    const known = this.byClass.get(target);
    if (known === 'every field') return;
    if (field === null) this.byClass.set(target, 'every field');
    else if (known) known.add(field);
    else this.byClass.set(target, new Set([field]));
  }

  /** Whether the member `name` of `target` (a type's field, a resolver's method) is guarded. */
  member(target: Function, name: string): boolean {
    const g = this.byClass.get(target);
    return g === 'every field' || (g !== undefined && g.has(name));
  }

  /** Whether any field of the type may be guarded: guards on it, its ancestors, its interfaces or theirs. */
  type(target: Function, storage: MetadataStorage): boolean {
    for (const c of relatedClasses(target, storage)) if (this.byClass.has(c)) return true;
    return false;
  }
}

/** The classes whose fields a type's fields come from: itself, its ancestors, its interfaces and theirs. */
function relatedClasses(target: Function, storage: MetadataStorage): Set<Function> {
  const seen = new Set<Function>();
  const visit = (c: Function): void => {
    for (let k = c; typeof k === 'function' && k !== Function.prototype && !seen.has(k); k = Object.getPrototypeOf(k) as Function) {
      seen.add(k);
      const meta = storage.objectTypes.find((t) => t.target === k) ?? storage.interfaceTypes.find((t) => t.target === k);
      meta?.interfaceClasses?.forEach(visit);
    }
  };
  visit(target);
  return seen;
}

/**
 * type-graphql's buildSchema with the tuning above. Without global middlewares or an auth
 * checker, unguarded types and fields are tuned; with either, only totalCount is (it adds a
 * resolver where there was none).
 */
export async function buildTunedSchema(options: BuildSchemaOptions): Promise<GraphQLSchema> {
  const storage = getMetadataStorage();
  const guards = new Guards(storage);
  const global = options.authChecker !== undefined || (options.globalMiddlewares?.length ?? 0) > 0;
  const defaulted = global ? [] : defaultSimpleResolvers(storage, guards);
  let schema: GraphQLSchema;
  try {
    schema = await buildSchema(options);
  } finally {
    // The default holds for this build only: the storage is global, and a later build (with an
    // auth checker, say) decides again.
    for (const t of defaulted) t.simpleResolvers = undefined;
  }
  if (!global) {
    useDirectFieldResolvers(schema, storage, guards, options);
    readGettersAsProperties(schema, storage, guards);
  }
  resolvePromisedFields(schema);
  assertGuardsKept(schema, storage, guards);
  return schema;
}

/** `simpleResolvers: true` for unguarded types whose author set nothing; returns those it set. */
function defaultSimpleResolvers(storage: MetadataStorage, guards: Guards): TypeMetadata[] {
  const set: TypeMetadata[] = [];
  for (const t of [...storage.objectTypes, ...storage.interfaceTypes]) {
    if (t.simpleResolvers !== undefined || guards.type(t.target, storage)) continue;
    t.simpleResolvers = true;
    set.push(t);
  }
  return set;
}

type Method = (...args: unknown[]) => unknown;
type ParamGetter = (root: unknown, args: Record<string, unknown>, ctx: unknown, info: unknown) => unknown;

/**
 * A direct resolve function for each unguarded `@FieldResolver` whose parameters are `@Root()`,
 * `@Ctx()`, `@Info()`, and `@Args()`/`@Arg()` whose GraphQL arguments are all scalars or enums.
 * Same semantics as type-graphql's wrapper as long as: the resolver classes are stateless and
 * built without a container (one instance serves every call), no argument is validated, and
 * arguments are built as type-graphql builds them (an instance of the @ArgsType class holding the
 * given arguments; input objects stay with type-graphql, which converts them). A root that is
 * not an instance of its type still goes through type-graphql, which converts it.
 */
function useDirectFieldResolvers(schema: GraphQLSchema, storage: MetadataStorage, guards: Guards, options: BuildSchemaOptions): void {
  if (options.container !== undefined || options.validateFn !== undefined || (options.validate !== undefined && options.validate !== false)) return;
  const instances = new Map<Function, Record<string, unknown>>();
  for (const def of storage.fieldResolvers) {
    if (def.kind !== 'external' || guards.member(def.target, def.methodName)) continue;
    const typeClass = storage.resolverClasses.find((r) => r.target === def.target)?.getObjectType();
    if (typeof typeClass !== 'function' || guards.type(typeClass, storage)) continue;
    const typeName = storage.objectTypes.find((o) => o.target === typeClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    if (!isObjectType(type)) continue;
    const field = type.getFields()[def.schemaName];
    const original = field?.resolve;
    if (!field || !original) continue;
    const leafArgs = new Set(field.args.filter((a) => isLeafType(getNamedType(a.type))).map((a) => a.name));
    const params = storage.params.filter((p) => p.target === def.target && p.methodName === def.methodName).sort((a, b) => a.index - b.index);
    const getters = params.map((p) => paramGetter(p, leafArgs, field.args.length));
    if (getters.some((g) => g === null)) continue;
    let instance = instances.get(def.target);
    // type-graphql's own default container builds resolver instances the same way.
    if (!instance) instances.set(def.target, (instance = new (def.target as new () => Record<string, unknown>)()));
    const method = instance[def.methodName];
    if (typeof method !== 'function') continue;
    const self = instance;
    const call = method as Method;
    const get = getters as ParamGetter[];
    const resolve: GraphQLFieldResolver<unknown, unknown> =
      params.map((p) => p.kind).join() === 'root,context'
        ? (root, args, ctx, info) => (root instanceof typeClass ? call.call(self, root, ctx) : original(root, args, ctx, info))
        : (root, args, ctx, info) => (root instanceof typeClass ? call.apply(self, get.map((g) => g(root, args, ctx, info))) : original(root, args, ctx, info));
    field.resolve = resolve;
  }
}

/** How to get one parameter's value without type-graphql, or null when only it knows how. */
function paramGetter(p: ParamMetadata, leafArgs: ReadonlySet<string>, argCount: number): ParamGetter | null {
  switch (p.kind) {
    case 'root':
      return p.propertyName ? null : (root) => root;
    case 'context':
      return p.propertyName ? null : (_root, _args, ctx) => ctx;
    case 'info':
      return (_root, _args, _ctx, info) => info;
    case 'arg': {
      if (p.validateFn !== undefined || (p.validateSettings !== undefined && p.validateSettings !== false)) return null;
      // A scalar or enum argument: type-graphql hands over the value as it is.
      const name = p.name;
      return leafArgs.has(name) ? (_root, args) => args[name] : null;
    }
    case 'args': {
      if (p.validateFn !== undefined || (p.validateSettings !== undefined && p.validateSettings !== false)) return null;
      if (leafArgs.size !== argCount) return null;
      const ArgsClass = p.getType();
      if (typeof ArgsClass !== 'function') return null;
      const proto = ArgsClass.prototype as object;
      // As type-graphql's conversion: an instance holding exactly the given arguments.
      return (_root, args) => Object.assign(Object.create(proto), args);
    }
    default:
      return null;
  }
}

/**
 * `@Field` getters (Node.id, for one) of unguarded types are read as properties: without a
 * resolver, graphql-js (its default resolver) and graphql-jit (inline) read the property, which
 * runs the getter. Sound because every object of these types is an instance of its class (built
 * by the class's `from`); type-graphql's wrapper existed to convert plain objects into instances.
 */
function readGettersAsProperties(schema: GraphQLSchema, storage: MetadataStorage, guards: Guards): void {
  for (const { target, name } of storage.objectTypes) {
    const type = schema.getType(name);
    if (!isObjectType(type) || guards.type(target, storage)) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.resolve && getterOf(target.prototype as object, field.name)) field.resolve = undefined;
    }
  }
}

function getterOf(prototype: object | null, key: string): (() => unknown) | undefined {
  for (let p = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const d = Object.getOwnPropertyDescriptor(p, key);
    if (d) return d.get;
  }
  return undefined;
}

/**
 * `totalCount` is a promise (connections count only when asked): an explicit resolver returns
 * it. graphql-js awaits a promise a plain property read yields, but graphql-jit (jit.ts) only
 * awaits what resolvers return. Same answer either way.
 */
function resolvePromisedFields(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !type.name.endsWith('Connection')) continue;
    const field = type.getFields().totalCount;
    if (field && !field.resolve) field.resolve = (connection: { totalCount: unknown }) => connection.totalCount;
  }
}

/**
 * Fails the build when a guarded field would be answered without a resolver — a guard skipped
 * silently, whether by this tuning or by an author's `simple: true` beside an `@Authorized`.
 */
function assertGuardsKept(schema: GraphQLSchema, storage: MetadataStorage, guards: Guards): void {
  for (const t of storage.objectTypes) {
    const type = schema.getType(t.name);
    if (!isObjectType(type) || !guards.type(t.target, storage)) continue;
    const related = relatedClasses(t.target, storage);
    for (const field of Object.values(type.getFields())) {
      if (field.resolve) continue;
      const declared = storage.fields.filter((f) => f.schemaName === field.name && related.has(f.target));
      if (declared.some((f) => guards.member(f.target, f.name) || guards.member(t.target, f.name))) {
        throw new Error(`${t.name}.${field.name} carries @Authorized or @UseMiddleware but would resolve without them (simple: true?)`);
      }
    }
  }
}
