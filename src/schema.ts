// The GraphQL schema, built from every module's resolver classes (type-graphql: the classes
// and decorators are the schema). The printed SDL is committed at schema/schema.graphql.
// A module joins the graph by exporting `resolvers` (and `nodeFetchers` for node(id)) from
// its index.ts and being listed here.
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { JSONObjectScalar } from './core/graphql/json-object.js';
import type { NonEmptyArray } from 'type-graphql';
import { buildTunedSchema } from './core/graphql/resolver-tuning.js';
import * as auth from './modules/auth/index.js';
import * as dashboard from './modules/dashboard/index.js';
import * as groups from './modules/groups/index.js';
import * as invitations from './modules/invitations/index.js';
import * as logs from './modules/logs/index.js';
import * as messages from './modules/messages/index.js';
import { createNodeResolver } from './modules/node/node.resolver.js';
import type { NodeFetchers } from './modules/node/node.registry.js';
import * as organizations from './modules/organizations/index.js';
import * as outbox from './modules/outbox/index.js';
import * as profile from './modules/profile/index.js';
import * as rateLimit from './modules/rate-limit/index.js';
import * as recovery from './modules/recovery/index.js';
import * as users from './modules/users/index.js';
import * as webhooks from './modules/webhooks/index.js';

interface GraphModule {
  resolvers: readonly Function[];
  nodeFetchers: NodeFetchers;
}

const modules: GraphModule[] = [users, auth, organizations, groups, messages, invitations, logs, outbox, rateLimit, webhooks, dashboard, profile, recovery];

let cached: Promise<GraphQLSchema> | undefined;

/**
 * The schema, built once per process. The resolver tuning (core/graphql/resolver-tuning.ts)
 * drops type-graphql's per-field wrappers where no guard needs them: authorization lives in the
 * services, so no type here carries @Authorized or @UseMiddleware, and none is configured globally.
 */
export function buildSchema(): Promise<GraphQLSchema> {
  const fetchers = Object.assign({}, ...modules.map((m) => m.nodeFetchers));
  cached ??= buildTunedSchema({
    resolvers: [createNodeResolver(fetchers), ...modules.flatMap((m) => m.resolvers)] as unknown as NonEmptyArray<Function>,
    scalarsMap: [
      { type: Date, scalar: DateTimeResolver },
      { type: Object, scalar: JSONObjectScalar },
    ],
    // Input rules live in the services (one place for GraphQL and REST), not in class-validator.
    validate: false,
    // type-graphql asks for a PubSub as soon as a Subscription exists. Ours are streams of the
    // event log (`subscribe` functions, modules/logs/event-log.live.ts), never topics: a topic
    // subscription would be an error in this schema's code, refused at once.
    pubSub: {
      publish() {
        throw new Error('Subscriptions here stream from the event log; nothing publishes to topics');
      },
      subscribe() {
        throw new Error('Subscriptions here stream from the event log; no topic is served');
      },
    },
  });
  return cached;
}
