// SQL for reading the event log (writing stays in log.repo.ts). Plain functions of (db,
// params); no permission checks — callers pass the visibility scope. Pages are ordered by
// occurred_at DESC, id DESC (most recent first); cursors carry occurred_at as PostgreSQL's own
// text (microseconds), because a JavaScript Date would round to milliseconds and skip rows.
import { and, count, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { eventLogs } from '../../../schema/logs.js';
import { rowsOf, uuidArrayLiteral, type Database } from '../../core/db.js';
import { defineShape, slot } from '../../core/sql-shape.js';
import { jsonColumns, selectJsonArrays } from '../../core/json-rows.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { keysetAfter, keysetAfterSlots, keysetOrder, keysetSlotValues, keysetState, type Keyset, type KeysetState } from '../../core/pagination.js';
import { organizationsWithRole } from '../../core/auth/tenant.sql.js';
import type { TenantScope } from '../../core/auth/tenant.js';
import type { EventLogRow } from './log.repo.js';

/** An event with its keyset position. */
export interface EventLogWithKey {
  event: EventLogRow;
  key: string;
}

const occurredKey = sql<string>`${eventLogs.occurredAt}::text`;

export const EVENT_KEYSET: Keyset = { columns: [eventLogs.occurredAt, eventLogs.id], direction: 'desc' };

/**
 * Events the scope may read: its own (as actor or second user) and those of organizations it
 * administers. As a filter of rows another condition already narrowed (a parent's events).
 */
export function visibleEventsWhere(scope: TenantScope): SQL | undefined {
  if (scope.all) return undefined;
  return sql`(${eventLogs.actorUserId} = ${scope.userId} or ${eventLogs.user2Id} = ${scope.userId}
    or ${eventLogs.organizationId} in ${organizationsWithRole(scope, 'admin')})`;
}

/**
 * The same rule for the whole log (the eventLogs list and its count): the ids of the three
 * branches, each off its own index. As one OR, PostgreSQL can use no index for it (one branch
 * is a subquery) and walks the whole log by date testing every row, however few events the
 * user may see. A scope that sees very many events sorts them instead; that is the rarer case,
 * and bounded by what it may see.
 */
function visibleEventIds(scope: TenantScope): SQL | undefined {
  if (scope.all) return undefined;
  return sql`${eventLogs.id} in (
    select v.id from ${eventLogs} v where v.actor_user_id = ${scope.userId}
    union all select v.id from ${eventLogs} v where v.user2_id = ${scope.userId}
    union all select v.id from ${eventLogs} v where v.organization_id in ${organizationsWithRole(scope, 'admin')})`;
}

/**
 * visibleEventsWhere for one row already read (live subscriptions test each new event against
 * many subscribers without a statement each). The same three branches; `adminOrganizationIds` is
 * what organizationsWithRole(scope, 'admin') selects for the scope (adminOrganizationIdsOf).
 * test/subscriptions.test.ts checks the two agree.
 */
export function eventVisibleTo(row: EventLogRow, scope: TenantScope, adminOrganizationIds: ReadonlySet<string>): boolean {
  if (scope.all) return true;
  return row.actorUserId === scope.userId || row.user2Id === scope.userId || (row.organizationId !== null && adminOrganizationIds.has(row.organizationId));
}

/** The organizations whose events the scope sees as an administrator (visibleEventsWhere's third branch). */
export async function adminOrganizationIdsOf(db: Database, scope: Extract<TenantScope, { all: false }>): Promise<Set<string>> {
  const rows = rowsOf<{ id: string }>(await db.execute(sql`select id from ${organizationsWithRole(scope, 'admin')} as o(id)`));
  return new Set(rows.map((r) => r.id));
}

/** Events by id, in the order of `ids` (a live batch); missing ids are left out. */
export async function findEventLogsByIds(db: Database, ids: readonly string[]): Promise<EventLogWithKey[]> {
  if (!ids.length) return [];
  const rows = await db.select({ event: eventLogs, key: occurredKey }).from(eventLogs).where(inArray(eventLogs.id, [...ids]));
  const byId = new Map(rows.map((r) => [r.event.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export interface EventLogFilter {
  /** One event (node lookups). */
  eventId?: string | null;
  dateGt?: Date | null;
  dateLt?: Date | null;
  /** The actor or the second user. */
  userId?: string | null;
  /** The second user only: whom the change was made to. */
  subjectUserId?: string | null;
  messageId?: string | null;
  deviceId?: string | null;
  email?: string | null;
  actionIn?: readonly string[] | null;
  /** Events in this organization. */
  organizationId?: string | null;
}

/** filterWhere for one row already read (live subscriptions); the same conditions. */
export function eventMatches(row: EventLogRow, f: EventLogFilter): boolean {
  return (
    (!f.eventId || row.id === f.eventId) &&
    (!f.dateGt || row.occurredAt > f.dateGt) &&
    (!f.dateLt || row.occurredAt < f.dateLt) &&
    (!f.userId || row.actorUserId === f.userId || row.user2Id === f.userId) &&
    (!f.subjectUserId || row.user2Id === f.subjectUserId) &&
    (!f.organizationId || row.organizationId === f.organizationId) &&
    (!f.messageId || row.messageId === f.messageId) &&
    (!f.deviceId || row.deviceId === f.deviceId) &&
    (!f.email || (row.email !== null && row.email.toLowerCase() === f.email.toLowerCase())) &&
    (!f.actionIn || f.actionIn.includes(row.action))
  );
}

function filterWhere(f: EventLogFilter): SQL | undefined {
  return and(
    f.eventId ? eq(eventLogs.id, f.eventId) : undefined,
    f.dateGt ? gt(eventLogs.occurredAt, f.dateGt) : undefined,
    f.dateLt ? lt(eventLogs.occurredAt, f.dateLt) : undefined,
    f.userId ? sql`(${eventLogs.actorUserId} = ${f.userId} or ${eventLogs.user2Id} = ${f.userId})` : undefined,
    f.subjectUserId ? eq(eventLogs.user2Id, f.subjectUserId) : undefined,
    f.messageId ? eq(eventLogs.messageId, f.messageId) : undefined,
    f.deviceId ? eq(eventLogs.deviceId, f.deviceId) : undefined,
    f.email ? sql`lower(${eventLogs.email}) = lower(${f.email})` : undefined,
    f.organizationId ? eq(eventLogs.organizationId, f.organizationId) : undefined,
    f.actionIn ? (f.actionIn.length ? inArray(eventLogs.action, [...f.actionIn]) : sql`false`) : undefined,
  );
}

export async function listEventLogs(db: Database, scope: TenantScope, filter: EventLogFilter, page: PageRequest, offset = 0): Promise<EventLogWithKey[]> {
  const q = db
    .select({ event: eventLogs, key: occurredKey })
    .from(eventLogs)
    .where(and(visibleEventIds(scope), filterWhere(filter), keysetAfter(EVENT_KEYSET, page)))
    .orderBy(...keysetOrder(EVENT_KEYSET, page))
    .limit(page.size + 1);
  return offset > 0 ? q.offset(offset) : q;
}

export async function countEventLogs(db: Database, scope: TenantScope, filter: EventLogFilter): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(eventLogs)
    .where(and(visibleEventIds(scope), filterWhere(filter)));
  return Number(row!.n);
}

export type EventLogParent = 'actor' | 'message' | 'organization';

const parentColumn = (parent: EventLogParent) =>
  parent === 'actor' ? eventLogs.actorUserId : parent === 'message' ? eventLogs.messageId : eventLogs.organizationId;

const eventColumns = jsonColumns(eventLogs, 'e');

/**
 * The first N visible events of each parent (the user as actor, the message, the organization),
 * most recent first, in ONE statement: a lateral LIMIT per parent, read in index order
 * (event_logs_actor_idx, event_logs_message_idx), as one json value (core/json-rows.ts). A
 * row_number() over every matching event ranked all of a busy user's events to keep 50.
 */
export const eventPageShape = defineShape(
  (i: {
    parent: EventLogParent;
    /** Whose events: all, a user's, or a user's within an organization-bound token's subtree. */
    scope: 'all' | 'user' | 'user-within';
    /** How many actions the filter names; null: no action filter. */
    actions: number | null;
    keyset: KeysetState;
  }) => {
    const dir = sql.raw(i.keyset.direction === 'forward' ? 'desc' : 'asc');
    // The scope's values as slots: visibleEventsWhere only places them in the SQL.
    const slotted: TenantScope =
      i.scope === 'all' ? { all: true } : { all: false, userId: slot('userId') as unknown as string, withinOrganizationId: i.scope === 'user-within' ? (slot('within') as unknown as string) : null };
    const where = and(
      sql`${parentColumn(i.parent)} = p.id`,
      visibleEventsWhere(slotted),
      i.actions === null ? undefined : i.actions ? sql`${eventLogs.action} in (${sql.join(Array.from({ length: i.actions }, (_, n) => sql`${slot(`action${n}`)}`), sql`, `)})` : sql`false`,
      keysetAfterSlots(EVENT_KEYSET, i.keyset),
    );
    return sql`
      select json_agg(json_build_array(${eventColumns.sql}, e.occurred_at::text, p.id) order by p.ord, e.occurred_at ${dir}, e.id ${dir})
      from unnest(${slot('ids')}::uuid[]) with ordinality as p(id, ord)
      cross join lateral (
        select * from ${eventLogs} where ${where} order by occurred_at ${dir}, id ${dir} limit ${slot('limit')}
      ) e`;
  },
);

export async function findEventLogPagesByParentIds(
  db: Database,
  parent: EventLogParent,
  parentIds: readonly string[],
  opts: { scope: TenantScope; actionIn: readonly string[] | null; page: PageRequest },
): Promise<(EventLogWithKey & { parentId: string })[]> {
  const { scope, actionIn, page } = opts;
  const shape = eventPageShape({
    parent,
    scope: scope.all ? 'all' : scope.withinOrganizationId ? 'user-within' : 'user',
    actions: actionIn === null ? null : actionIn.length,
    keyset: keysetState(EVENT_KEYSET, page),
  });
  const values: Record<string, unknown> = {
    ids: uuidArrayLiteral(parentIds),
    userId: scope.all ? null : scope.userId,
    within: scope.all ? null : scope.withinOrganizationId,
    limit: page.size + 1,
    ...keysetSlotValues(page),
  };
  actionIn?.forEach((a, i) => (values[`action${i}`] = a));
  const rows = await selectJsonArrays(db, shape.bind(values));
  const at = eventColumns.width;
  return rows.map((r) => ({ event: eventColumns.decode(r), key: r[at] as string, parentId: r[at + 1] as string }));
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
