// SQL for reading the event log (writing stays in log.repo.ts). Plain functions of (db,
// params); no permission checks — callers pass the visibility scope. Pages are ordered by
// occurred_at DESC, id DESC (most recent first); cursors carry occurred_at as PostgreSQL's own
// text (microseconds), because a JavaScript Date would round to milliseconds and skip rows.
import { and, count, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { eventLogs } from '../../../schema/logs.js';
import type { Database } from '../../core/db.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { keysetAfter, keysetOrder, type Keyset } from '../../core/pagination.js';
import { organizationsWithRole, type TenantScope } from '../groups/scope.sql.js';
import type { EventLogRow } from './log.repo.js';

/** An event with its keyset position. */
export interface EventLogWithKey {
  event: EventLogRow;
  key: string;
}

const occurredKey = sql<string>`${eventLogs.occurredAt}::text`;

export const EVENT_KEYSET: Keyset = { columns: [eventLogs.occurredAt, eventLogs.id], direction: 'desc' };

/** Events the scope may read: its own (as actor or second user) and those of organizations it administers. */
export function visibleEventsWhere(scope: TenantScope): SQL | undefined {
  if (scope.all) return undefined;
  return sql`(${eventLogs.actorUserId} = ${scope.userId} or ${eventLogs.user2Id} = ${scope.userId}
    or ${eventLogs.organizationId} in ${organizationsWithRole(scope, 'admin')})`;
}

export interface EventLogFilter {
  /** One event (node lookups). */
  eventId?: string | null;
  dateGt?: Date | null;
  dateLt?: Date | null;
  /** The actor or the second user. */
  userId?: string | null;
  messageId?: string | null;
  deviceId?: string | null;
  email?: string | null;
  actionIn?: readonly string[] | null;
}

function filterWhere(f: EventLogFilter): SQL | undefined {
  return and(
    f.eventId ? eq(eventLogs.id, f.eventId) : undefined,
    f.dateGt ? gt(eventLogs.occurredAt, f.dateGt) : undefined,
    f.dateLt ? lt(eventLogs.occurredAt, f.dateLt) : undefined,
    f.userId ? sql`(${eventLogs.actorUserId} = ${f.userId} or ${eventLogs.user2Id} = ${f.userId})` : undefined,
    f.messageId ? eq(eventLogs.messageId, f.messageId) : undefined,
    f.deviceId ? eq(eventLogs.deviceId, f.deviceId) : undefined,
    f.email ? sql`lower(${eventLogs.email}) = lower(${f.email})` : undefined,
    f.actionIn ? (f.actionIn.length ? inArray(eventLogs.action, [...f.actionIn]) : sql`false`) : undefined,
  );
}

export async function listEventLogs(db: Database, scope: TenantScope, filter: EventLogFilter, page: PageRequest): Promise<EventLogWithKey[]> {
  return db
    .select({ event: eventLogs, key: occurredKey })
    .from(eventLogs)
    .where(and(visibleEventsWhere(scope), filterWhere(filter), keysetAfter(EVENT_KEYSET, page)))
    .orderBy(...keysetOrder(EVENT_KEYSET, page))
    .limit(page.size + 1);
}

export async function countEventLogs(db: Database, scope: TenantScope, filter: EventLogFilter): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(eventLogs)
    .where(and(visibleEventsWhere(scope), filterWhere(filter)));
  return Number(row!.n);
}

export type EventLogParent = 'actor' | 'message' | 'organization';

const parentColumn = (parent: EventLogParent) =>
  parent === 'actor' ? eventLogs.actorUserId : parent === 'message' ? eventLogs.messageId : eventLogs.organizationId;

/**
 * The first N visible events of each parent (the user as actor, the message, the organization),
 * most recent first, in ONE statement: top-N-per-parent via row_number().
 */
export async function findEventLogPagesByParentIds(
  db: Database,
  parent: EventLogParent,
  parentIds: readonly string[],
  opts: { scope: TenantScope; actionIn: readonly string[] | null; page: PageRequest },
): Promise<(EventLogWithKey & { parentId: string })[]> {
  const col = parentColumn(parent);
  const dir = sql.raw(opts.page.direction === 'forward' ? 'desc' : 'asc');
  const ranked = db.$with('ranked').as(
    db
      .select({
        id: sql<string>`${eventLogs.id}`.as('event_id'),
        rn: sql<number>`row_number() over (partition by ${col} order by ${eventLogs.occurredAt} ${dir}, ${eventLogs.id} ${dir})`.as('rn'),
      })
      .from(eventLogs)
      .where(
        and(
          inArray(col, [...parentIds]),
          visibleEventsWhere(opts.scope),
          filterWhere({ actionIn: opts.actionIn }),
          keysetAfter(EVENT_KEYSET, opts.page),
        ),
      ),
  );
  const rows = await db
    .with(ranked)
    .select({ event: eventLogs, key: occurredKey })
    .from(ranked)
    .innerJoin(eventLogs, eq(eventLogs.id, ranked.id))
    .where(sql`${ranked.rn} <= ${opts.page.size + 1}`)
    .orderBy(col, ranked.rn);
  return rows.map((r) => ({ ...r, parentId: (parent === 'actor' ? r.event.actorUserId : parent === 'message' ? r.event.messageId : r.event.organizationId)! }));
}

export const filterForParent = (parent: EventLogParent, id: string, actionIn: readonly string[] | null): SQL | undefined =>
  and(eq(parentColumn(parent), id), filterWhere({ actionIn }));

export async function countEventLogsOfParent(db: Database, scope: TenantScope, parent: EventLogParent, id: string, actionIn: readonly string[] | null): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(eventLogs)
    .where(and(visibleEventsWhere(scope), filterForParent(parent, id, actionIn)));
  return Number(row!.n);
}
