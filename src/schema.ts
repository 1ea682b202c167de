// The GraphQL schema, built from every module's resolver classes (type-graphql: the classes
// and decorators are the schema). The printed SDL is committed at schema/schema.graphql.
// A module joins the graph by exporting `resolvers` (and `nodeFetchers` for node(id)) from
// its index.ts and being listed here.
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
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
  });
  return cached;
}
