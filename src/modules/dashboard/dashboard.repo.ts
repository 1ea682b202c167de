// SQL of the Seald dashboard's admin side (schema/dashboard.ts): sessions, the team's API
// tokens, SSKS keys, password-reset challenges and users disabled from a team. No permission
// checks; every team-owned read and write names the team (organization) in its WHERE.
import { and, asc, count, desc, eq, gt, inArray, isNull, lt, notExists, or, sql } from 'drizzle-orm';
import { eventLogs } from '../../../schema/logs.js';
import { personalAccessTokens } from '../../../schema/auth.js';
import { dashboardSessions, domainValidationKeys, jwtSharedSecrets, passwordResetChallenges, ssksApiKeys, teamUserDisables } from '../../../schema/dashboard.js';
import { invitations, memberships, organizations } from '../../../schema/organizations.js';
import { contacts, users } from '../../../schema/users.js';
import type { Database } from '../../core/db.js';
import { USER_COLUMNS, type UserRow } from '../users/user.repo.js';

export type TokenRow = typeof personalAccessTokens.$inferSelect;
export type ChallengeRow = typeof passwordResetChallenges.$inferSelect;
export type TeamUserDisableRow = typeof teamUserDisables.$inferSelect;

export async function insertSession(db: Database, values: typeof dashboardSessions.$inferInsert): Promise<void> {
  await db.insert(dashboardSessions).values(values);
}

export async function findSessionByTokenId(db: Database, tokenId: string) {
  const [row] = await db.select().from(dashboardSessions).where(eq(dashboardSessions.tokenId, tokenId));
  return row;
}

/** The team a user administers for the dashboard: the first organization they joined as owner or admin. */
export async function findAdministeredTeam(db: Database, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: memberships.organizationId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), inArray(memberships.role, ['owner', 'admin'])))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .limit(1);
  return row?.id ?? null;
}

/** The team's API tokens that can still be used, newest first (sessions left out). */
const teamTokensWhere = (organizationId: string, now: Date) =>
  and(
    eq(personalAccessTokens.organizationId, organizationId),
    isNull(personalAccessTokens.revokedAt),
    or(isNull(personalAccessTokens.expiresAt), gt(personalAccessTokens.expiresAt, now)),
    notExists(sql`(select 1 from ${dashboardSessions} s where s.token_id = ${personalAccessTokens.id})`),
  );

export async function listTeamTokens(db: Database, organizationId: string, limit: number, offset: number, now = new Date()): Promise<TokenRow[]> {
  return db
    .select()
    .from(personalAccessTokens)
    .where(teamTokensWhere(organizationId, now))
    .orderBy(desc(personalAccessTokens.createdAt), desc(personalAccessTokens.id))
    .limit(limit)
    .offset(offset);
}

export async function countTeamTokens(db: Database, organizationId: string, now = new Date()): Promise<number> {
  const [row] = await db.select({ n: count() }).from(personalAccessTokens).where(teamTokensWhere(organizationId, now));
  return Number(row?.n ?? 0);
}

export async function insertSsksKey(db: Database, values: typeof ssksApiKeys.$inferInsert) {
  const [row] = await db.insert(ssksApiKeys).values(values).returning();
  return row!;
}

export async function insertChallenge(db: Database, values: typeof passwordResetChallenges.$inferInsert): Promise<void> {
  await db.insert(passwordResetChallenges).values(values);
}

/** The user's latest challenge that is unused, unexpired and not worn out by wrong tries. */
export async function findLiveChallenge(db: Database, userId: string, now: Date, maxAttempts: number): Promise<ChallengeRow | undefined> {
  const [row] = await db
    .select()
    .from(passwordResetChallenges)
    .where(
      and(
        eq(passwordResetChallenges.userId, userId),
        isNull(passwordResetChallenges.usedAt),
        gt(passwordResetChallenges.expiresAt, now),
        sql`${passwordResetChallenges.attempts} < ${maxAttempts}`,
      ),
    )
    .orderBy(desc(passwordResetChallenges.createdAt))
    .limit(1);
  return row;
}

export async function countChallengeAttempt(db: Database, id: string): Promise<void> {
  await db
    .update(passwordResetChallenges)
    .set({ attempts: sql`${passwordResetChallenges.attempts} + 1` })
    .where(eq(passwordResetChallenges.id, id));
}

/** Uses a challenge once: false when another request used it first. */
export async function useChallenge(db: Database, id: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(passwordResetChallenges)
    .set({ usedAt: at })
    .where(and(eq(passwordResetChallenges.id, id), isNull(passwordResetChallenges.usedAt)))
    .returning({ id: passwordResetChallenges.id });
  return rows.length === 1;
}

export async function insertTeamUserDisable(db: Database, values: typeof teamUserDisables.$inferInsert): Promise<void> {
  await db.insert(teamUserDisables).values(values).onConflictDoNothing();
}

export async function findTeamUserDisables(db: Database, organizationId: string, userIds: readonly string[]): Promise<TeamUserDisableRow[]> {
  if (userIds.length === 0) return [];
  return db
    .select()
    .from(teamUserDisables)
    .where(and(eq(teamUserDisables.organizationId, organizationId), inArray(teamUserDisables.userId, [...userIds])));
}

export interface TeamUserFilter {
  userId?: string | null;
  displayName?: string | null;
  email?: string | null;
  /** Also match disabled email contacts. */
  emailAllStates?: boolean;
  connectorType?: 'email' | 'phone' | 'app' | 'mobile' | null;
  connectorValue?: string | null;
  connectorAllStates?: boolean;
  /** true: only users disabled from the team; false: only the others; null: all. */
  teamDisabled?: boolean | null;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function teamUsersWhere(organizationId: string, f: TeamUserFilter) {
  const disabled = sql`exists (select 1 from ${teamUserDisables} d where d.organization_id = ${organizationId} and d.user_id = ${users.id})`;
  return and(
    sql`${users.id} in (select m.user_id from ${memberships} m where m.organization_id = ${organizationId})`,
    f.userId ? eq(users.id, f.userId) : undefined,
    f.displayName ? sql`coalesce(${users.displayName}, trim(concat_ws(' ', ${users.firstName}, ${users.lastName})), ${users.username}) ilike ${`%${likeEscape(f.displayName)}%`}` : undefined,
    f.email
      ? sql`exists (select 1 from ${contacts} c where c.user_id = ${users.id} and c.type = 'email' and c.value ilike ${`%${likeEscape(f.email)}%`} ${f.emailAllStates ? sql`` : sql`and c.state = 'active'`})`
      : undefined,
    f.connectorType && f.connectorValue
      ? sql`exists (select 1 from ${contacts} c where c.user_id = ${users.id} and c.type = ${f.connectorType} and lower(c.value) = lower(${f.connectorValue}) ${f.connectorAllStates ? sql`` : sql`and c.state = 'active'`})`
      : undefined,
    f.teamDisabled === true ? disabled : f.teamDisabled === false ? sql`not ${disabled}` : undefined,
  );
}

/** Members of the team matching the filter, by username (id breaks ties). */
export async function listTeamUsers(db: Database, organizationId: string, f: TeamUserFilter, limit: number, offset: number): Promise<UserRow[]> {
  return db
    .select(USER_COLUMNS)
    .from(users)
    .where(teamUsersWhere(organizationId, f))
    .orderBy(asc(users.username), asc(users.id))
    .limit(limit)
    .offset(offset);
}

export async function countTeamUsers(db: Database, organizationId: string, f: TeamUserFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users).where(teamUsersWhere(organizationId, f));
  return Number(row?.n ?? 0);
}

/** The user's unrevoked tokens bound to the team (API keys and sessions). */
export async function findTeamTokenIdsOfUser(db: Database, organizationId: string, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: personalAccessTokens.id })
    .from(personalAccessTokens)
    .where(and(eq(personalAccessTokens.organizationId, organizationId), eq(personalAccessTokens.userId, userId), isNull(personalAccessTokens.revokedAt)));
  return rows.map((r) => r.id);
}

/** The team's events in (min, max), oldest first, at most `limit`. */
export async function listTeamEventsBetween(db: Database, organizationId: string, min: Date, max: Date, limit: number) {
  return db
    .select()
    .from(eventLogs)
    .where(and(eq(eventLogs.organizationId, organizationId), gt(eventLogs.occurredAt, min), lt(eventLogs.occurredAt, max)))
    .orderBy(asc(eventLogs.occurredAt), asc(eventLogs.id))
    .limit(limit);
}

export type JwtSecretRow = typeof jwtSharedSecrets.$inferSelect;

export async function insertJwtSecret(db: Database, values: typeof jwtSharedSecrets.$inferInsert): Promise<JwtSecretRow> {
  const [row] = await db.insert(jwtSharedSecrets).values(values).returning();
  return row!;
}

export async function listJwtSecrets(db: Database, organizationId: string, limit: number, offset: number): Promise<JwtSecretRow[]> {
  return db
    .select()
    .from(jwtSharedSecrets)
    .where(eq(jwtSharedSecrets.organizationId, organizationId))
    .orderBy(desc(jwtSharedSecrets.createdAt), desc(jwtSharedSecrets.id))
    .limit(limit)
    .offset(offset);
}

export async function countJwtSecrets(db: Database, organizationId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(jwtSharedSecrets).where(eq(jwtSharedSecrets.organizationId, organizationId));
  return Number(row?.n ?? 0);
}

/** Deletes a secret of the team (its JWTs stop working at once); undefined when the team has none by that id. */
export async function deleteJwtSecret(db: Database, organizationId: string, id: string): Promise<JwtSecretRow | undefined> {
  const [row] = await db.delete(jwtSharedSecrets).where(and(eq(jwtSharedSecrets.id, id), eq(jwtSharedSecrets.organizationId, organizationId))).returning();
  return row;
}

export type DomainKeyRow = typeof domainValidationKeys.$inferSelect;

export async function insertDomainKey(db: Database, values: typeof domainValidationKeys.$inferInsert): Promise<DomainKeyRow> {
  const [row] = await db.insert(domainValidationKeys).values(values).returning();
  return row!;
}

export async function listDomainKeys(db: Database, organizationId: string, limit: number, offset: number): Promise<DomainKeyRow[]> {
  return db
    .select()
    .from(domainValidationKeys)
    .where(eq(domainValidationKeys.organizationId, organizationId))
    .orderBy(asc(domainValidationKeys.domain), asc(domainValidationKeys.id))
    .limit(limit)
    .offset(offset);
}

export async function countDomainKeys(db: Database, organizationId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(domainValidationKeys).where(eq(domainValidationKeys.organizationId, organizationId));
  return Number(row?.n ?? 0);
}

export async function findDomainKey(db: Database, organizationId: string, id: string): Promise<DomainKeyRow | undefined> {
  const [row] = await db.select().from(domainValidationKeys).where(and(eq(domainValidationKeys.id, id), eq(domainValidationKeys.organizationId, organizationId)));
  return row;
}

export async function updateDomainKey(db: Database, organizationId: string, id: string, key: string, at: Date): Promise<DomainKeyRow | undefined> {
  const [row] = await db
    .update(domainValidationKeys)
    .set({ key, refreshedAt: at })
    .where(and(eq(domainValidationKeys.id, id), eq(domainValidationKeys.organizationId, organizationId)))
    .returning();
  return row;
}

/** The active email contact holding `value` (any user), case-insensitively. */
export async function findActiveEmailContact(db: Database, value: string) {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.type, 'email'), eq(contacts.state, 'active'), sql`lower(${contacts.value}) = lower(${value})`));
  return row;
}

/** Licences a team uses: its email invitations that are pending or accepted. */
/** The organization's quota limit, its row locked until the transaction ends (licence counting). */
export async function lockQuotaLimit(tx: Database, organizationId: string): Promise<number | null> {
  const [row] = await tx.select({ quotaLimit: organizations.quotaLimit }).from(organizations).where(eq(organizations.id, organizationId)).for('update');
  return row?.quotaLimit ?? null;
}

export async function countUsedLicences(db: Database, organizationId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(invitations)
    .where(and(eq(invitations.organizationId, organizationId), sql`${invitations.inviteeEmail} is not null`, inArray(invitations.status, ['pending', 'accepted'])));
  return Number(row?.n ?? 0);
}

/** Revokes the user's dashboard sessions (all but `exceptTokenId`); returns how many. */
export async function revokeSessionsOfUser(db: Database, userId: string, at: Date, exceptTokenId: string | null): Promise<number> {
  const rows = await db
    .update(personalAccessTokens)
    .set({ revokedAt: at })
    .where(
      and(
        isNull(personalAccessTokens.revokedAt),
        sql`${personalAccessTokens.id} in (select s.token_id from ${dashboardSessions} s where s.user_id = ${userId})`,
        exceptTokenId ? sql`${personalAccessTokens.id} <> ${exceptTokenId}` : undefined,
      ),
    )
    .returning({ id: personalAccessTokens.id });
  return rows.length;
}
