// What the logs module (event log, login log) adds to the graph.
import type { NodeFetchers } from '../node/node.registry.js';
import { EventLogResolver, MessageEventLogsResolver, OrganizationEventLogsResolver, UserEventLogsResolver } from './event-log.resolver.js';
import { listVisibleEventLogs } from './event-log.service.js';
import { EventLog } from './event-log.type.js';

export const resolvers: readonly Function[] = [EventLogResolver, UserEventLogsResolver, OrganizationEventLogsResolver, MessageEventLogsResolver];

export const nodeFetchers: NodeFetchers = {
  // One event by id, through the same visibility rule as the list (missing and hidden alike).
  EventLog: async (ctx, id) => {
    const c = await listVisibleEventLogs(ctx, { first: 1 }, { eventId: id });
    return c.nodes[0] ? EventLog.from(c.nodes[0]) : null;
  },
};
