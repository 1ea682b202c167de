// The GraphQL schema, built from every module's resolver classes (type-graphql: the classes
// and decorators are the schema). The printed SDL is committed at schema/schema.graphql.
// A module joins the graph by exporting `resolvers` (and `nodeFetchers` for node(id)) from
// its index.ts and being listed here.
import 'reflect-metadata';
import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
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
import * as users from './modules/users/index.js';

interface GraphModule {
  resolvers: readonly Function[];
  nodeFetchers: NodeFetchers;
}

const modules: GraphModule[] = [users, auth, organizations, groups, messages, invitations, logs];

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
 * `@FieldResolver`s that take only `@Root()`, `@Ctx()` and `@Info()` get a direct resolve
 * function. type-graphql's wrapper, per call, builds a resolver-data object, looks up the
 * resolver instance, runs the (empty) middleware chain and sorts (copying) the parameter list —
 * on the page benchmark Membership.user runs 400 times a request and that wrapper was a sixth of
 * the request's allocations. Same semantics as long as the resolver classes are stateless
 * (they are: services and loaders come from the context) and there are no middlewares or
 * @Authorized (none are used). A root that is not an instance of its type still goes through
 * type-graphql, which converts it.
 */
function useDirectFieldResolvers(schema: GraphQLSchema): void {
  const storage = getMetadataStorage() as unknown as { fieldResolvers: FieldResolverDef[]; objectTypes: { target: Function; name: string }[] };
  const instances = new Map<Function, Record<string, (...a: unknown[]) => unknown>>();
  for (const def of storage.fieldResolvers) {
    if (def.kind !== 'external' || def.middlewares?.length || def.roles?.length || !def.params || !def.getObjectType) continue;
    const params = [...def.params].sort((a, b) => a.index - b.index);
    if (!params.every((p) => ['root', 'context', 'info'].includes(p.kind) && !p.propertyName)) continue;
    const typeClass = def.getObjectType();
    const typeName = storage.objectTypes.find((o) => o.target === typeClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    if (!isObjectType(type)) continue;
    const field = type.getFields()[def.schemaName];
    const original = field?.resolve;
    if (!field || !original) continue;
    let instance = instances.get(def.target);
    if (!instance) instances.set(def.target, (instance = new def.target()));
    const method = instance[def.methodName]!;
    const self = instance;
    const kinds = params.map((p) => p.kind);
    const pick = (root: unknown, ctx: unknown, info: unknown) => kinds.map((k) => (k === 'root' ? root : k === 'context' ? ctx : info));
    const resolve: GraphQLFieldResolver<unknown, unknown> =
      kinds.join() === 'root,context'
        ? (root, args, ctx, info) => (root instanceof typeClass ? method.call(self, root, ctx) : original(root, args, ctx, info))
        : (root, args, ctx, info) => (root instanceof typeClass ? method.apply(self, pick(root, ctx, info)) : original(root, args, ctx, info));
    field.resolve = resolve;
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
