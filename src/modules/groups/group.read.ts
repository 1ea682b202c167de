// The groups module's read layer for pages of groups: from a query's selection to the columns
// its fields declare (@GroupReads in group.type.ts), the statement (one shape per column set,
// direction and cursor state), and the rows decoded by position. Rows come back as what they
// are: whole GroupRows when the plan reads every column, GroupReads otherwise.
import type { GraphQLResolveInfo } from 'graphql';
import { groups } from '../../../schema/groups.js';
import { uuidArrayLiteral, type Database } from '../../core/db.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { jsonColumns, jsonColumnsPicked, selectJsonArrays, type JsonColumns } from '../../core/json-rows.js';
import { keysetAfterSlots, keysetOrder, keysetSlotValues, keysetState, type Keyset, type KeysetState } from '../../core/pagination.js';
import { columnsFor, planCache, selectedFieldsAt, typeAt } from '../../core/read/plan.js';
import { canonicalKey, defineShape, slot } from '../../core/sql-shape.js';
import { sql } from 'drizzle-orm';
import type { GroupRow } from './group.repo.js';

/** The columns every read group holds: policy checks and member lookups use the first two, cursors the name. */
const GROUP_KEY_COLUMNS = ['id', 'organizationId', 'name'] as const;

/** A group as a page read it: its key columns, and the others its query's fields declare. */
export type GroupRead = Pick<GroupRow, (typeof GROUP_KEY_COLUMNS)[number]> & Partial<GroupRow>;

/** What a page of groups reads: the columns (sorted; null for whole rows), and `key`, its canonical printing. */
export interface GroupPagePlan {
  readonly columns: readonly (keyof GroupRow)[] | null;
  readonly key: string;
}

/** A plan from its columns, its key printed from them. */
export function groupPlanOf(columns: readonly (keyof GroupRow)[] | null): GroupPagePlan {
  return Object.freeze({ columns, key: canonicalKey({ columns }) });
}

/** Whole rows, for callers without a selection (they prime the by-id loader). */
export const WHOLE_GROUPS = groupPlanOf(null);

// Where a group connection's groups are selected.
const GROUP_PATHS = [['nodes'], ['edges', 'node']];

/** The plan of the group connection field being resolved (memoized per field of a document). */
const groupPlans = planCache((info) => ({ columns: columnsFor<keyof GroupRow>(typeAt(info, ['nodes']), selectedFieldsAt(info, GROUP_PATHS), false, GROUP_KEY_COLUMNS) }));
export const groupPagePlan = (info: GraphQLResolveInfo): GroupPagePlan => groupPlans(info, 0);

/** Groups of an organization page by name, the id breaking ties. */
export const GROUP_PAGE_KEYSET: Keyset = { columns: [groups.name, groups.id], direction: 'asc' };

/**
 * The first N groups of each organization, in ONE statement: top-N-per-parent via
 * row_number(), as one json value (core/json-rows.ts). The cursor is a [name, id] position
 * shared by the batch. The ranked subquery carries every column, so nothing joins back to the
 * table (joins back by id made the planner scan it whole).
 */
export const groupPageShape = defineShape((i: { columns: readonly string[] | null; keyset: KeysetState }) => {
  const reader: JsonColumns<GroupRead> = i.columns ? (jsonColumnsPicked(groups, 'g', i.columns as (keyof GroupRow)[]) as JsonColumns<GroupRead>) : jsonColumns(groups, 'g');
  const order = sql.join(keysetOrder(GROUP_PAGE_KEYSET, i.keyset), sql`, `);
  const where = [sql`organization_id = any(${slot('ids')}::uuid[])`];
  const after = keysetAfterSlots(GROUP_PAGE_KEYSET, i.keyset);
  if (after) where.push(after);
  const statement = sql`
    select json_agg(json_build_array(${reader.sql}) order by g.organization_id, g.rn)
    from (
      select *, row_number() over (partition by organization_id order by ${order}) as rn
      from ${groups}
      where ${sql.join(where, sql` and `)}
    ) g
    where g.rn <= ${slot('limit')}`;
  return { statement, reader };
});

/** A batch of group pages: whole rows when the plan names no columns, partial ones otherwise. */
export type GroupPages = { whole: true; rows: GroupRow[] } | { whole: false; rows: GroupRead[] };

export async function readGroupPages(db: Database, organizationIds: readonly string[], page: PageRequest, plan: GroupPagePlan): Promise<GroupPages> {
  const shape = groupPageShape({ columns: plan.columns, keyset: keysetState(GROUP_PAGE_KEYSET, page) });
  const rows = await selectJsonArrays(db, shape.bind({ ids: uuidArrayLiteral(organizationIds), limit: page.size + 1, ...keysetSlotValues(page) }));
  if (plan.columns === null) {
    const whole = shape.reader as JsonColumns<GroupRow>;
    return { whole: true, rows: rows.map((r) => whole.decode(r)) };
  }
  return { whole: false, rows: rows.map((r) => shape.reader.decode(r)) };
}
