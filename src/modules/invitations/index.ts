// What the invitations module adds to the graph: invitations (with Organization.invitations
// and User.invitations), and — registered here so their owners' index files stay untouched —
// the login log (loginLogs, User.loginLogs) and the operators' view of the outbox.
import { readableLoginLog } from '../logs/login-log.service.js';
import { LoginLogResolver, UserLoginLogsResolver } from '../logs/login-log.resolver.js';
import { LoginLog } from '../logs/login-log.type.js';
import type { NodeFetchers } from '../node/node.registry.js';
import { OutboxMessageResolver } from '../outbox/outbox.resolver.js';
import { readableOutboxMessage } from '../outbox/outbox.service.js';
import { OutboxMessage } from '../outbox/outbox.type.js';
import { InvitationResolver, OrganizationInvitationsResolver, UserInvitationsResolver } from './invitation.resolver.js';
import { readableInvitation } from './invitation.service.js';
import { Invitation } from './invitation.type.js';

export const resolvers: readonly Function[] = [
  InvitationResolver,
  OrganizationInvitationsResolver,
  UserInvitationsResolver,
  LoginLogResolver,
  UserLoginLogsResolver,
  OutboxMessageResolver,
];

export const nodeFetchers: NodeFetchers = {
  Invitation: async (ctx, id) => {
    const row = await readableInvitation(ctx, id);
    return row ? Invitation.from(row) : null;
  },
  LoginLog: async (ctx, id) => {
    const row = await readableLoginLog(ctx, id);
    return row ? LoginLog.from(row) : null;
  },
  OutboxMessage: async (ctx, id) => {
    const row = await readableOutboxMessage(ctx, id);
    return row ? OutboxMessage.from(row) : null;
  },
};
