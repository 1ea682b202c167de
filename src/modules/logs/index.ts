// What the logs module (event log, login log) adds to the graph.
import type { NodeFetchers } from '../node/node.registry.js';
import { EventLogResolver, MessageEventLogsResolver, OrganizationEventLogsResolver, UserEventLogsResolver } from './event-log.resolver.js';
import { listVisibleEventLogs } from './event-log.service.js';
import { EventLog } from './event-log.type.js';
import { LoginLogResolver, UserLoginLogsResolver } from './login-log.resolver.js';
import { readableLoginLog } from './login-log.service.js';
import { LoginLog } from './login-log.type.js';

export const resolvers: readonly Function[] = [
  EventLogResolver,
  UserEventLogsResolver,
  OrganizationEventLogsResolver,
  MessageEventLogsResolver,
  LoginLogResolver,
  UserLoginLogsResolver,
];

export const nodeFetchers: NodeFetchers = {
  // One event by id, through the same visibility rule as the list (missing and hidden alike).
  EventLog: async (ctx, id) => {
    const c = await listVisibleEventLogs(ctx, { first: 1 }, { eventId: id });
    return c.nodes[0] ? EventLog.from(c.nodes[0]) : null;
  },
  LoginLog: async (ctx, id) => {
    const row = await readableLoginLog(ctx, id);
    return row ? LoginLog.from(row) : null;
  },
};
