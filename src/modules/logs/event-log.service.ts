// Writes the event-log row of a change, inside the change's own transaction, and reads the
// event log as far as the caller may see it. Actions are
// named `entity.verb` in camelCase (organization.create, message.read, login).
import type { Context } from '../../context.js';
import type { Principal } from '../../core/auth/principal.js';
import { DomainError, unauthenticated } from '../../core/errors.js';
import type { Database } from '../../core/db.js';
import { emptyConnection, pageRequest, toConnection, type Connection, type ConnectionArgs } from '../../core/graphql/connection.js';
import { tenantScopeOf } from '../../core/auth/tenant.js';
import { offsetPage } from '../../core/offset.js';
import { countEventLogs, countEventLogsOfParent, listEventLogs, type EventLogFilter, type EventLogParent } from './event-log.repo.js';
import { insertEventLog, type EventLogRow, type NewEventLog } from './log.repo.js';

export interface Actor {
  principal: Principal;
  ip: string | null;
}

export function recordEvent(tx: Database, actor: Actor, event: Omit<NewEventLog, 'actorUserId' | 'ip' | 'id' | 'occurredAt'>) {
  const actorUserId = actor.principal.kind === 'user' ? actor.principal.userId : null;
  return insertEventLog(tx, { ...event, actorUserId, ip: actor.ip });
}

// ---- reading the event log ----
// Visibility: instance admins see every event; admins of an organization see its events
// ('eventLog:readOrganization', inherited down the tree); everyone sees the events where they
// are the actor or the second user. The rule is applied in SQL (visibleEventsWhere), so pages
// keep their size and batched pages stay one statement.

type ReadCtx = Pick<Context, 'principal' | 'loaders' | 'db'>;


export async function listVisibleEventLogs(ctx: ReadCtx, args: ConnectionArgs, filter: EventLogFilter, offset?: number | null): Promise<Connection<EventLogRow>> {
  const page = offsetPage(pageRequest(args), offset);
  const skip = page.skipped;
  const scope = tenantScopeOf(ctx.principal);
  if (!scope) return emptyConnection(page);
  const rows = await listEventLogs(ctx.db, scope, filter, page, skip);
  return toConnection(rows, page, (r) => [r.key, r.event.id], (r) => r.event, () => countEventLogs(ctx.db, scope, filter));
}

/** Events of one user (as actor), message or organization, most recent first (batched across parents). */
export async function eventLogsOf(
  ctx: ReadCtx,
  parent: EventLogParent,
  id: string,
  args: ConnectionArgs & { actionIn?: string[] | null },
): Promise<Connection<EventLogRow>> {
  const page = pageRequest(args);
  const scope = tenantScopeOf(ctx.principal);
  if (!scope) return emptyConnection(page);
  const actionIn = args.actionIn ? [...new Set(args.actionIn)].sort() : null;
  const rows = await ctx.loaders.eventLogPage({ parent, scope, actionIn, page }).load(id);
  return toConnection(rows, page, (r) => [r.key, r.event.id], (r) => r.event, () => countEventLogsOfParent(ctx.db, scope, parent, id, actionIn));
}

// ---- live ----

/** The eventLogAdded subscription: what eventLogs shows the caller, as it is committed. */
export function openEventLogStream(ctx: Pick<Context, 'deps' | 'principal' | 'live'>, filter: EventLogFilter, after: string | null) {
  if (!ctx.deps.liveEvents) throw new DomainError('BAD_REQUEST', 'This process serves no subscriptions');
  return ctx.deps.liveEvents.open(ctx.principal, filter, after, () => ctx.live?.disconnect(SLOW_CONSUMER.code, SLOW_CONSUMER.reason));
}

/** The viewerEventAdded subscription: events where the caller is the second user (changes made to them). */
export function openViewerEventStream(ctx: Pick<Context, 'deps' | 'principal' | 'live'>, after: string | null) {
  if (ctx.principal.kind !== 'user') throw unauthenticated();
  return openEventLogStream(ctx, { subjectUserId: ctx.principal.userId }, after);
}

/** The WebSocket close a subscriber that does not keep up gets (1008: policy violation). */
export const SLOW_CONSUMER = { code: 1008, reason: 'Slow consumer: events were queued faster than they were read' } as const;
