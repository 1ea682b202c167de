// SQL for invitations. Plain functions of (db, params); no permission checks — the service
// passes the visibility scope it decided on. Orderings are newest first by id (uuid v7, so
// creation order, and exact: timestamps would lose microseconds in a JavaScript cursor).
import { and, count, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { invitations } from '../../../schema/organizations.js';
import { contacts, users } from '../../../schema/users.js';
import type { TenantRowKey, TenantScope } from '../../core/auth/tenant.js';
import { organizationsWithRole, tenantRow, tokenSubtree } from '../../core/auth/tenant.sql.js';
import type { Database } from '../../core/db.js';
import { findRowsByIds } from '../../core/json-rows.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { keysetAfter, keysetOrder, type Keyset } from '../../core/pagination.js';

export type InvitationRow = typeof invitations.$inferSelect;
export type NewInvitation = typeof invitations.$inferInsert;
export type InvitationStatusValue = InvitationRow['status'];

export const INVITATION_KEYSET: Keyset = { columns: [invitations.id], direction: 'desc' };

/** Phone numbers compare as digits with an optional leading +. */
export const normalizePhoneSql = (col: SQL | typeof contacts.value) => sql`regexp_replace(${col}, '[^0-9+]', '', 'g')`;

/**
 * Invitations addressed to the user whose id is the SQL expression `uid`: by user id, else
 * (no user linked yet) by one of their active emails or phones. Mirrors addressedToUser in
 * the service, which decides the same for one row.
 */
const addressedTo = (uid: SQL) => sql`(
  ${invitations.inviteeUserId} = ${uid}
  or (${invitations.inviteeUserId} is null and (
    lower(${invitations.inviteeEmail}) in (select lower(c.value) from ${contacts} c where c.user_id = ${uid} and c.type = 'email' and c.state = 'active')
    or ${invitations.inviteePhone} in (select ${normalizePhoneSql(sql`c.value`)} from ${contacts} c where c.user_id = ${uid} and c.type = 'phone' and c.state = 'active')
  ))
)`;

/**
 * Invitations the scope may read, as canReadInvitation decides for one row: those of
 * organizations it manages, those addressed to it, and those inviting an organization it
 * manages; under an organization-bound token, only those of organizations in the token's subtree
 * (and an invitee organization counts only when it lies there too).
 */
function scopeWhere(scope: TenantScope): SQL | undefined {
  if (scope.all) return undefined;
  const managed = organizationsWithRole(scope, 'admin');
  const readable = sql`(${invitations.organizationId} in ${managed}
    or ${addressedTo(sql`${scope.userId}::uuid`)}
    or ${invitations.inviteeOrganizationId} in ${managed})`;
  return scope.withinOrganizationId ? and(readable, sql`${invitations.organizationId} in ${tokenSubtree(scope.withinOrganizationId)}`) : readable;
}

/** Status as read: pending rows past valid_until count as expired. */
export function statusWhere(status: InvitationStatusValue | null | undefined): SQL | undefined {
  if (!status) return undefined;
  if (status === 'pending') return sql`(${invitations.status} = 'pending' and ${invitations.validUntil} > now())`;
  if (status === 'expired') return sql`(${invitations.status} = 'expired' or (${invitations.status} = 'pending' and ${invitations.validUntil} <= now()))`;
  return eq(invitations.status, status);
}

export interface InvitationFilter {
  organizationId?: string | null;
  email?: string | null;
  status?: InvitationStatusValue | null;
  /** Only invitations of an email address (the Seald dashboard's invited emails). */
  emailsOnly?: boolean | null;
}

function filterWhere(f: InvitationFilter): SQL | undefined {
  return and(
    f.organizationId ? eq(invitations.organizationId, f.organizationId) : undefined,
    f.email ? sql`lower(${invitations.inviteeEmail}) = lower(${f.email})` : undefined,
    statusWhere(f.status),
    f.emailsOnly ? sql`${invitations.inviteeEmail} is not null` : undefined,
  );
}

export async function listInvitations(db: Database, scope: TenantScope, filter: InvitationFilter, page: PageRequest, offset = 0): Promise<InvitationRow[]> {
  const q = db
    .select()
    .from(invitations)
    .where(and(scopeWhere(scope), filterWhere(filter), keysetAfter(INVITATION_KEYSET, page)))
    .orderBy(...keysetOrder(INVITATION_KEYSET, page))
    .limit(page.size + 1);
  // OFFSET only for page-number clients (the REST dialects); cursors never need it.
  return offset > 0 ? q.offset(offset) : q;
}

export async function countInvitations(db: Database, scope: TenantScope, filter: InvitationFilter): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(invitations)
    .where(and(scopeWhere(scope), filterWhere(filter)));
  return Number(row!.n);
}

export const findInvitationsByIds = (db: Database, ids: readonly string[]) => findRowsByIds(db, invitations, ids);

/**
 * The first N invitations (newest first) of each organization in ONE statement: top-N per
 * parent via row_number().
 */
export async function findInvitationPagesByOrganizationIds(
  db: Database,
  organizationIds: readonly string[],
  opts: { status?: InvitationStatusValue | null; page: PageRequest },
): Promise<InvitationRow[]> {
  const { page } = opts;
  const order = sql.join(keysetOrder(INVITATION_KEYSET, page), sql`, `);
  const ranked = db.$with('ranked').as(
    db
      .select({
        id: invitations.id,
        rn: sql<number>`row_number() over (partition by ${invitations.organizationId} order by ${order})`.as('rn'),
      })
      .from(invitations)
      .where(and(inArray(invitations.organizationId, [...organizationIds]), statusWhere(opts.status), keysetAfter(INVITATION_KEYSET, page))),
  );
  const rows = await db
    .with(ranked)
    .select({ invitation: invitations })
    .from(ranked)
    .innerJoin(invitations, eq(invitations.id, ranked.id))
    .where(sql`${ranked.rn} <= ${page.size + 1}`)
    .orderBy(invitations.organizationId, ranked.rn);
  return rows.map((r) => r.invitation);
}

export async function countInvitationsByOrganizationIds(db: Database, organizationIds: readonly string[], status?: InvitationStatusValue | null): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: invitations.organizationId, n: count() })
    .from(invitations)
    .where(and(inArray(invitations.organizationId, [...organizationIds]), statusWhere(status)))
    .groupBy(invitations.organizationId);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

/**
 * The first N invitations received by each user (by user id, active email or active phone),
 * newest first, in ONE statement; each row says which user it was loaded for.
 */
export async function findReceivedInvitationPagesByUserIds(
  db: Database,
  userIds: readonly string[],
  opts: { status?: InvitationStatusValue | null; page: PageRequest },
): Promise<{ forUserId: string; invitation: InvitationRow }[]> {
  const { page } = opts;
  const order = sql.join(keysetOrder(INVITATION_KEYSET, page), sql`, `);
  const ranked = db.$with('ranked').as(
    db
      .select({
        id: invitations.id,
        forUserId: sql<string>`${users.id}`.as('for_user_id'),
        rn: sql<number>`row_number() over (partition by ${users.id} order by ${order})`.as('rn'),
      })
      .from(users)
      .innerJoin(invitations, addressedTo(sql`${users.id}`))
      .where(and(inArray(users.id, [...userIds]), statusWhere(opts.status), keysetAfter(INVITATION_KEYSET, page))),
  );
  return db
    .with(ranked)
    .select({ forUserId: ranked.forUserId, invitation: invitations })
    .from(ranked)
    .innerJoin(invitations, eq(invitations.id, ranked.id))
    .where(sql`${ranked.rn} <= ${page.size + 1}`)
    .orderBy(ranked.forUserId, ranked.rn);
}

export async function countReceivedInvitationsByUserIds(db: Database, userIds: readonly string[], status?: InvitationStatusValue | null): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: users.id, n: count() })
    .from(users)
    .innerJoin(invitations, addressedTo(sql`${users.id}`))
    .where(and(inArray(users.id, [...userIds]), statusWhere(status)))
    .groupBy(users.id);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

/** Active email addresses (lower-cased) and phone numbers (normalized) of each user. */
export async function findActiveContactsByUserIds(db: Database, userIds: readonly string[]): Promise<{ userId: string; type: string; value: string }[]> {
  return db
    .select({
      userId: contacts.userId,
      type: contacts.type,
      value: sql<string>`case when ${contacts.type} = 'email' then lower(${contacts.value}) else ${normalizePhoneSql(contacts.value)} end`,
    })
    .from(contacts)
    .where(and(inArray(contacts.userId, [...userIds]), eq(contacts.state, 'active'), inArray(contacts.type, ['email', 'phone'])));
}

// ---- writes ----

export async function insertInvitation(db: Database, values: NewInvitation): Promise<InvitationRow> {
  const [row] = await db.insert(invitations).values(values).returning();
  return row!;
}

/**
 * Rewrites lapsed pending invitations of one invitee as expired, so the partial unique
 * indexes (one pending invitation per organization and invitee) let a fresh one in.
 */
export async function expireLapsedFor(
  db: Database,
  organizationId: string,
  invitee: { userId?: string | null; email?: string | null; phone?: string | null; organizationId?: string | null },
): Promise<void> {
  const who = or(
    invitee.userId ? eq(invitations.inviteeUserId, invitee.userId) : undefined,
    invitee.email ? sql`lower(${invitations.inviteeEmail}) = lower(${invitee.email})` : undefined,
    invitee.phone ? eq(invitations.inviteePhone, invitee.phone) : undefined,
    invitee.organizationId ? eq(invitations.inviteeOrganizationId, invitee.organizationId) : undefined,
  );
  if (!who) return;
  await db
    .update(invitations)
    .set({ status: 'expired' })
    .where(and(eq(invitations.organizationId, organizationId), eq(invitations.status, 'pending'), sql`${invitations.validUntil} <= now()`, who));
}

/** A pending invitation to this phone number in the organization (phones have no unique index). */
export async function findPendingPhoneInvitation(db: Database, organizationId: string, phone: string): Promise<InvitationRow | undefined> {
  const [row] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.organizationId, organizationId), eq(invitations.inviteePhone, phone), statusWhere('pending')))
    .limit(1);
  return row;
}

/**
 * Moves a pending, still valid invitation to its next state in one conditional UPDATE: the
 * row lock it takes makes concurrent answers to the same invitation serialize, and the
 * loser's WHERE no longer matches (it gets undefined back). `requireValid: false` also
 * matches lapsed pending rows (revoking or resending them). Matches the invitation's
 * organization too (core/auth/tenant.ts).
 */
export async function transitionPending(
  db: Database,
  invitation: TenantRowKey,
  values: Partial<Pick<InvitationRow, 'status' | 'acceptedAt' | 'declinedAt' | 'revokedAt' | 'inviteeUserId' | 'sentAt' | 'validUntil'>>,
  opts: { requireValid: boolean } = { requireValid: true },
): Promise<InvitationRow | undefined> {
  const [row] = await db
    .update(invitations)
    .set(values)
    .where(and(tenantRow(invitations, invitation), eq(invitations.status, 'pending'), opts.requireValid ? sql`${invitations.validUntil} > now()` : undefined))
    .returning();
  return row;
}

/** Revokes every pending invitation of an email into an organization, in one statement. */
export async function revokePendingForEmail(db: Database, organizationId: string, email: string, at: Date): Promise<InvitationRow[]> {
  return db
    .update(invitations)
    .set({ status: 'revoked', revokedAt: at })
    .where(and(eq(invitations.organizationId, organizationId), eq(invitations.status, 'pending'), sql`lower(${invitations.inviteeEmail}) = lower(${email})`))
    .returning();
}

export async function findInvitationById(db: Database, id: string): Promise<InvitationRow | undefined> {
  const [row] = await db.select().from(invitations).where(eq(invitations.id, id));
  return row;
}


/** The pending invitation of one organization into another with this role (Itsyouonline's org invitations). */
export async function findPendingOrganizationInvitation(db: Database, organizationId: string, inviteeOrganizationId: string, role: 'owner' | 'member'): Promise<InvitationRow | undefined> {
  const [row] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.organizationId, organizationId), eq(invitations.inviteeOrganizationId, inviteeOrganizationId), eq(invitations.role, role), statusWhere('pending')))
    .limit(1);
  return row;
}

/**
 * Pending invitations of an organization addressed to one invitee named as Itsyouonline names
 * them: a username (the invited or the linked user), an email address or a phone number.
 */
export async function findPendingInvitationsNamed(db: Database, organizationId: string, name: string): Promise<InvitationRow[]> {
  return db
    .select({ inv: invitations })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.inviteeUserId))
    .where(
      and(
        eq(invitations.organizationId, organizationId),
        eq(invitations.status, 'pending'),
        or(sql`lower(${users.username}) = lower(${name})`, sql`lower(${invitations.inviteeEmail}) = lower(${name})`, eq(invitations.inviteePhone, name)),
      ),
    )
    .then((rows) => rows.map((r) => r.inv));
}
