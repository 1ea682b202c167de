// The GraphQL schema, built from every module's resolver classes (type-graphql: the classes
// and decorators are the schema). The printed SDL is committed at schema/schema.graphql.
// A module joins the graph by exporting `resolvers` (and `nodeFetchers` for node(id)) from
// its index.ts and being listed here.
import 'reflect-metadata';
import { getNamedType, isLeafType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { buildSchema as buildTypeGraphQLSchema, getMetadataStorage, type NonEmptyArray } from 'type-graphql';
import * as auth from './modules/auth/index.js';
import * as groups from './modules/groups/index.js';
import * as invitations from './modules/invitations/index.js';
import * as logs from './modules/logs/index.js';
import * as messages from './modules/messages/index.js';
import { createNodeResolver } from './modules/node/node.resolver.js';
import type { NodeFetchers } from './modules/node/node.registry.js';
import * as organizations from './modules/organizations/index.js';
import * as rateLimit from './modules/rate-limit/index.js';
import * as users from './modules/users/index.js';

interface GraphModule {
  resolvers: readonly Function[];
  nodeFetchers: NodeFetchers;
}

const modules: GraphModule[] = [users, auth, organizations, groups, messages, invitations, logs, rateLimit];

let cached: Promise<GraphQLSchema> | undefined;

/**
 * Plain `@Field` properties resolve with graphql-js's default resolver (a property read).
 * Without this, type-graphql wraps every such field in a resolver that allocates a
 * resolver-data object and runs the (empty) middleware chain: on the page benchmark that was
 * ~1,700 wrapper calls per request for nothing, as this project uses no type-graphql
 * middlewares or @Authorized (authorization lives in the services). A type or field that
 * ever needs them can still opt out with `simpleResolvers: false` / `simple: false`.
 */
function useSimpleFieldResolvers(): void {
  const storage = getMetadataStorage();
  for (const t of [...storage.objectTypes, ...storage.interfaceTypes]) {
    (t as { simpleResolvers?: boolean }).simpleResolvers ??= true;
  }
}

interface ParamDef {
  kind: string;
  index: number;
  propertyName?: string;
  /** The argument's name (`@Arg`). */
  name?: string;
  getType?: () => unknown;
}
interface FieldResolverDef {
  kind: 'internal' | 'external';
  target: new () => Record<string, (...a: unknown[]) => unknown>;
  methodName: string;
  schemaName: string;
  params?: ParamDef[];
  middlewares?: unknown[];
  roles?: unknown[];
  getObjectType?: () => Function;
}

/**
 * `@FieldResolver`s get a direct resolve function when their parameters are `@Root()`, `@Ctx()`,
 * `@Info()`, and `@Args()`/`@Arg()` whose GraphQL arguments are all scalars or enums (a page's
 * `first`, `after`, `role`, `actionIn`). type-graphql's wrapper, per call, builds a resolver-data
 * object, looks up the resolver instance, runs the (empty) middleware chain, sorts the parameter
 * list and, for arguments, runs an async validation step (even with validation off) and a
 * Promise.all — on the page benchmark Membership.user ran 400 times a request and that wrapper
 * was a sixth of the request's allocations; the 40 memberships/groups calls still cost ~10 %.
 * Same semantics as long as the resolver classes are stateless (they are: services and loaders
 * come from the context), there are no middlewares, @Authorized or argument validation (none are
 * used), and arguments are built as type-graphql builds them: an instance of the @ArgsType class
 * holding the given arguments (no input objects inside: those stay with type-graphql, which
 * converts them to their classes). A root that is not an instance of its type still goes
 * through type-graphql, which converts it.
 */
function useDirectFieldResolvers(schema: GraphQLSchema): void {
  const storage = getMetadataStorage() as unknown as { fieldResolvers: FieldResolverDef[]; objectTypes: { target: Function; name: string }[] };
  const instances = new Map<Function, Record<string, (...a: unknown[]) => unknown>>();
  for (const def of storage.fieldResolvers) {
    if (def.kind !== 'external' || def.middlewares?.length || def.roles?.length || !def.params || !def.getObjectType) continue;
    const typeClass = def.getObjectType();
    const typeName = storage.objectTypes.find((o) => o.target === typeClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    if (!isObjectType(type)) continue;
    const field = type.getFields()[def.schemaName];
    const original = field?.resolve;
    if (!field || !original) continue;
    const leafArgs = new Set(field.args.filter((a) => isLeafType(getNamedType(a.type))).map((a) => a.name));
    const params = [...def.params].sort((a, b) => a.index - b.index);
    const getters = params.map((p) => paramGetter(p, leafArgs, field.args.length));
    if (getters.some((g) => g === null)) continue;
    let instance = instances.get(def.target);
    if (!instance) instances.set(def.target, (instance = new def.target()));
    const method = instance[def.methodName]!;
    const self = instance;
    const kinds = params.map((p) => p.kind).join();
    const get = getters as ParamGetter[];
    const resolve: GraphQLFieldResolver<unknown, unknown> =
      kinds === 'root,context'
        ? (root, args, ctx, info) => (root instanceof typeClass ? method.call(self, root, ctx) : original(root, args, ctx, info))
        : (root, args, ctx, info) => (root instanceof typeClass ? method.apply(self, get.map((g) => g(root, args, ctx, info))) : original(root, args, ctx, info));
    field.resolve = resolve;
  }
}

type ParamGetter = (root: unknown, args: Record<string, unknown>, ctx: unknown, info: unknown) => unknown;

/** How to get one parameter's value without type-graphql, or null when only it knows how. */
function paramGetter(p: ParamDef, leafArgs: ReadonlySet<string>, argCount: number): ParamGetter | null {
  if (p.propertyName) return null;
  switch (p.kind) {
    case 'root':
      return (root) => root;
    case 'context':
      return (_root, _args, ctx) => ctx;
    case 'info':
      return (_root, _args, _ctx, info) => info;
    case 'arg':
      // A scalar or enum argument: type-graphql hands over the value as it is.
      return p.name && leafArgs.has(p.name) ? (_root, args) => args[p.name!] : null;
    case 'args': {
      if (leafArgs.size !== argCount) return null;
      const ArgsClass = p.getType?.();
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
 * `@Field` getters (Node.id, for one) are read as properties. type-graphql wraps a getter in a
 * field resolver, and graphql-jit runs every field that has a resolver as a deferred call (a
 * resolve-info, its path and closures per object) instead of reading it inline: per event of a
 * 50-event page, or per member of a dashboard page, for a getter. Without a resolver both
 * graphql-js (its default resolver) and graphql-jit read the property, which runs the getter.
 * Sound because every object of these types is an instance of its class (built by the class's
 * `from`); type-graphql's wrapper existed to convert plain objects into instances.
 */
function readGettersAsProperties(schema: GraphQLSchema): void {
  const storage = getMetadataStorage() as unknown as { objectTypes: { target: Function; name: string }[] };
  for (const { target, name } of storage.objectTypes) {
    const type = schema.getType(name);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.resolve && getterOf(target.prototype, field.name)) field.resolve = undefined;
    }
  }
}

function getterOf(prototype: object | null, key: string): (() => unknown) | undefined {
  for (let p = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
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

export function buildSchema(): Promise<GraphQLSchema> {
  useSimpleFieldResolvers();
  const fetchers = Object.assign({}, ...modules.map((m) => m.nodeFetchers));
  cached ??= buildTypeGraphQLSchema({
    resolvers: [createNodeResolver(fetchers), ...modules.flatMap((m) => m.resolvers)] as unknown as NonEmptyArray<Function>,
    scalarsMap: [
      { type: Date, scalar: DateTimeResolver },
      { type: Object, scalar: JSONObjectResolver },
    ],
    // Input rules live in the services (one place for GraphQL and REST), not in class-validator.
    validate: false,
  }).then((schema) => {
    useDirectFieldResolvers(schema);
    readGettersAsProperties(schema);
    resolvePromisedFields(schema);
    return schema;
  });
  return cached;
}
