// The organizations module's read layer for membership pages: from a query's selection to the
// columns its fields declare (@Reads on Membership and @UserReads on User), the statement (one
// shape per plan, direction and cursor state), the rows decoded by position, and the Membership
// objects with their users. Rows come back as what they are: whole user rows when the plan
// reads every column (and only then are they handed to the user loader), UserReads otherwise.
import type { GraphQLResolveInfo } from 'graphql';
import { sql } from 'drizzle-orm';
import { memberships } from '../../../schema/organizations.js';
import { users } from '../../../schema/users.js';
import type { ServiceContext } from '../../context.js';
import { can, type Role } from '../../core/auth/policy.js';
import type { Principal } from '../../core/auth/principal.js';
import { uuidArrayLiteral, type Database } from '../../core/db.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { jsonColumns, jsonColumnsPicked, selectJson, type JsonColumns } from '../../core/json-rows.js';
import { keysetAfterSlots, keysetOrder, keysetSlotValues, keysetState, type Keyset, type KeysetState } from '../../core/pagination.js';
import { columnsFor, planCache, selectedFieldsAt, typeAt } from '../../core/read/plan.js';
import { canonicalKey, defineShape, slot } from '../../core/sql-shape.js';
import { userById } from '../users/user.service.js';
import { memberUsersVisible } from './organization.service.js';
import type { UserRow } from '../users/user.repo.js';
import { User, type UserFieldColumn, type UserRead } from '../users/user.type.js';
import type { MembershipRow } from './organization.repo.js';
import { Membership } from './organization.type.js';

/**
 * A membership as a page read it: `createdAt` only when the selection asked for it, `id` only
 * when it reads ids or cursors, `userId` only when it reads the user's id (MemberPagePlan).
 */
export type PageMembershipRow = Omit<MembershipRow, 'createdAt' | 'id' | 'userId'> & Partial<Pick<MembershipRow, 'createdAt' | 'id' | 'userId'>>;

/** One member of a page: the membership and its user, with `U` the user's row type. */
export interface MemberRow<U extends UserRead = UserRead> {
  membership: PageMembershipRow;
  user: U;
}

/** What a membership page reads; `key` is the canonical printing of the rest. */
export interface MemberPagePlan {
  /** The users columns to read (sorted; the user's id only when a field needs it); null: every column. */
  readonly userColumns: readonly UserFieldColumn[] | null;
  /** Whether to read the membership's createdAt. */
  readonly createdAt: boolean;
  /** Whether to read the membership's id: for its node id and for cursors (the keyset). */
  readonly ids: boolean;
  /** Whether the query reads the members' users at all (else no User is built). */
  readonly user: boolean;
  readonly key: string;
}

/** A plan from its content, its key printed from it. */
export const memberPlanOf = (content: Omit<MemberPagePlan, 'key'>): MemberPagePlan => Object.freeze({ ...content, key: canonicalKey(content) });

/** Everything: for callers without a selection (they hand the rows on; the user loader is primed). */
export const WHOLE_MEMBERS = memberPlanOf({ userColumns: null, createdAt: true, ids: true, user: true });

// Where a membership connection's memberships and their users are selected.
const MEMBER_PATHS = [['nodes'], ['edges', 'node']];
const MEMBER_USER_PATHS = MEMBER_PATHS.map((p) => [...p, 'user']);
const CONNECTION_PATH = [[]];

const memberPlans = planCache((info, seesAll) => {
  const userFields = selectedFieldsAt(info, MEMBER_USER_PATHS);
  const membershipColumns = columnsFor(typeAt(info, ['nodes']), selectedFieldsAt(info, MEMBER_PATHS), false) ?? ['createdAt', 'id'];
  // Membership ids make node ids and cursors (edges, pageInfo); a page read as `nodes { … }`
  // without `id` needs none of them.
  const connectionFields = selectedFieldsAt(info, CONNECTION_PATH);
  // The membership's user id is the user's id column: a field other than `user` that reads it
  // (Membership.missingRequiredScopes) has it read even when no user field asks for it.
  const memberFields = new Set([...selectedFieldsAt(info, MEMBER_PATHS)].filter((f) => f !== 'user'));
  const needsUserId = (columnsFor(typeAt(info, ['nodes']), memberFields, false) ?? []).includes('userId');
  const userColumns = columnsFor<UserFieldColumn>(typeAt(info, ['nodes', 'user']), userFields, seesAll === 1);
  return {
    userColumns: needsUserId && userColumns && !userColumns.includes('id') ? (['id', ...userColumns].sort() as UserFieldColumn[]) : userColumns,
    createdAt: membershipColumns.includes('createdAt'),
    ids: membershipColumns.includes('id') || connectionFields.has('edges') || connectionFields.has('pageInfo'),
    user: userFields.size > 0,
  };
});

/**
 * The plan of the membership connection field being resolved, for `viewer`: an instance admin
 * reads private user fields without the user's id. Made once per field of a document and kind
 * of viewer; a page's parents share it.
 */
export const memberPagePlan = (info: GraphQLResolveInfo, viewer: Principal): MemberPagePlan => memberPlans(info, can(viewer, 'user:readPrivate') ? 1 : 0);

/** Memberships page by id (ids are time-ordered: the order members joined in). */
const MEMBERSHIP_KEYSET: Keyset = { columns: [memberships.id], direction: 'asc', alias: 'm' };

// Every user column but the password hash: nothing reachable from a membership reads it.
const wholeUser: JsonColumns<UserRow> = jsonColumns(users, 'u', ['passwordHash']);

/**
 * The first N memberships of each organization with their users, in ONE statement: per
 * organization, a LIMIT read straight off the (organization_id, id) index with each member's
 * user joined inside it (a row_number() over every membership of the batch, or the user join
 * outside the limit, cost PostgreSQL more).
 *
 * Reads only what the plan names: building json costs PostgreSQL per value, so a page of
 * usernames and emails reads 3 values per member (the organization is its position in the
 * batch; the user's id, which stands for the membership's user id, only when a field needs it).
 *
 * The value is one array per organization, in the batch's order (`ordinality`), of its
 * members' arrays (null when it has none), each aggregated in its rows' order: that order is
 * the subquery's, which PostgreSQL keeps when the aggregating level adds no join ("supplying the
 * input values from a sorted subquery"); an ORDER BY inside json_agg would sort each
 * organization's rows again. `unnest(uuid[])` keeps ONE statement text for any batch size.
 */
export const membershipPageShape = defineShape(
  (i: { userColumns: readonly string[] | null; createdAt: boolean; ids: boolean; role: boolean; keyset: KeysetState }) => {
    // The user's id, when read, comes first and stands for the membership's user id (the
    // join's key): read once, decoded into the user's own literal.
    const cols = i.userColumns as readonly UserFieldColumn[] | null;
    const user: JsonColumns<UserRead> = cols ? jsonColumnsPicked(users, 'u', cols.includes('id') ? ['id', ...cols.filter((c) => c !== 'id')] : cols) : wholeUser;
    // Per member: role, then createdAt and id when asked for, then the user (id first).
    const values = [sql`m.role`];
    if (i.createdAt) values.push(sql`m.created_at`);
    if (i.ids) values.push(sql`m.id`);
    // No user columns for a page that reads none of its users' fields (ids or counts only).
    if (user.width > 0) values.push(user.sql);
    const where = [sql`m.organization_id = p.id`];
    if (i.role) where.push(sql`m.role = ${slot('role')}`);
    const after = keysetAfterSlots(MEMBERSHIP_KEYSET, i.keyset);
    if (after) where.push(after);
    const statement = sql`
      select json_agg(x.members order by p.ord)
      from unnest(${slot('ids')}::uuid[]) with ordinality as p(id, ord)
      cross join lateral (
        select json_agg(r.v) as members
        from (
          select json_build_array(${sql.join(values, sql`, `)}) as v
          from ${memberships} m
          join ${users} u on u.id = m.user_id
          where ${sql.join(where, sql` and `)}
          order by ${sql.join(keysetOrder(MEMBERSHIP_KEYSET, i.keyset), sql`, `)}
          limit ${slot('limit')}
        ) r
      ) x`;
    return { statement, reader: user };
  },
);

/** A batch of membership pages: whole user rows when the plan reads every column, partial ones otherwise. */
export type MemberPages = { whole: true; rows: MemberRow<UserRow>[] } | { whole: false; rows: MemberRow[] };

export async function readMembershipPages(db: Database, organizationIds: readonly string[], opts: { role: Role | null; page: PageRequest; plan: MemberPagePlan }): Promise<MemberPages> {
  const { page, plan } = opts;
  const shape = membershipPageShape({ userColumns: plan.userColumns, createdAt: plan.createdAt, ids: plan.ids, role: !!opts.role, keyset: keysetState(MEMBERSHIP_KEYSET, page) });
  const perOrganization = await selectJson<(unknown[][] | null)[]>(
    db,
    shape.bind({ ids: uuidArrayLiteral(organizationIds), role: opts.role ?? null, limit: page.size + 1, ...keysetSlotValues(page) }),
  );
  const decode = <U extends UserRead>(user: JsonColumns<U>): MemberRow<U>[] => {
    const createdAt = plan.createdAt;
    const userAt = 1 + (createdAt ? 1 : 0) + (plan.ids ? 1 : 0);
    const idAt = plan.ids ? userAt - 1 : -1;
    const rows: MemberRow<U>[] = [];
    perOrganization?.forEach((members, i) => {
      const organizationId = organizationIds[i]!;
      for (const r of members ?? []) {
        const u = user.decode(r, userAt);
        // One literal, always the same keys: the json is decoded by position (core/json-rows.ts).
        const membership: PageMembershipRow = {
          id: idAt < 0 ? undefined : (r[idAt] as string),
          userId: u.id,
          organizationId,
          role: r[0] as MembershipRow['role'],
          createdAt: createdAt ? new Date(r[1] as string) : undefined,
        };
        rows.push({ membership, user: u });
      }
    });
    return rows;
  };
  // A plan without named columns read the users through wholeUser (the shape's reader then).
  return plan.userColumns === null ? { whole: true, rows: decode(wholeUser) } : { whole: false, rows: decode(shape.reader) };
}

/**
 * A page's members as Membership objects, each with the user its page read (a typed prefetch:
 * the only place Membership.user is filled from a page), as `ctx`'s viewer may see it. No User
 * is built when the query reads none; anonymous callers see no users (as userById).
 */
export function membershipsOfPage(ctx: Pick<ServiceContext, 'principal'>, plan: MemberPagePlan): (r: MemberRow) => Membership {
  const showUser = plan.user && memberUsersVisible(ctx);
  return (r) => Membership.from(r.membership, showUser ? User.from(r.user, ctx.principal) : null);
}

/**
 * A membership built outside a membership page (a mutation's payload, node(id), a user's
 * memberships), with its user loaded through the user loader as the caller may see it.
 */
export async function membershipWithUser(ctx: ServiceContext, row: MembershipRow): Promise<Membership> {
  const user = await userById(ctx, row.userId);
  return Membership.from(row, user ? User.from(user, ctx.principal) : null);
}
