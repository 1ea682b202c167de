// The GraphQL schema, built from every module's resolver classes (type-graphql: the classes
// and decorators are the schema). The printed SDL is committed at schema/schema.graphql.
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema as buildTypeGraphQLSchema } from 'type-graphql';
import { AuthResolver } from './modules/auth/auth.resolver.js';
import { NodeResolver } from './modules/node/node.resolver.js';
import { UserResolver } from './modules/users/user.resolver.js';

let cached: Promise<GraphQLSchema> | undefined;

export function buildSchema(): Promise<GraphQLSchema> {
  cached ??= buildTypeGraphQLSchema({
    resolvers: [NodeResolver, UserResolver, AuthResolver],
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    // Input rules live in the services (one place for GraphQL and REST), not in class-validator.
    validate: false,
  });
  return cached;
}
