// SQL for users and what they own (contacts, public keys, devices, identities). Plain
// functions of (db, params); no permission checks — callers pass what the service decided.
import { and, asc, count, eq, getTableColumns, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { memberships, organizations } from '../../../schema/organizations.js';
import { contacts, devices, identities, publicKeys, users } from '../../../schema/users.js';
import { prepared, rowsOf, type Database } from '../../core/db.js';
import { findRowsByIds } from '../../core/json-rows.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { keysetAfter, keysetOrder, type Keyset } from '../../core/pagination.js';

/**
 * A user as the graph reads it: every column but the password hash. Only sign-in and a password
 * change read the hash (findSignInUser, findSignInUserById), so no loader, object or answer
 * built for a request ever holds one.
 */
export type UserRow = Omit<typeof users.$inferSelect, 'passwordHash'>;
/** A user with the password hash: for checking a password, nothing else. */
export type SignInUserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

const { passwordHash: _passwordHash, ...userColumns } = getTableColumns(users);
/** The columns of UserRow, for select() and returning(). */
export const USER_COLUMNS = userColumns;
export type ContactRow = typeof contacts.$inferSelect;
export type PublicKeyRow = typeof publicKeys.$inferSelect;
export type DeviceRow = typeof devices.$inferSelect;
export type IdentityRow = typeof identities.$inferSelect;

export const findUsersByIds = (db: Database, ids: readonly string[]): Promise<UserRow[]> => findRowsByIds(db, users, ids, ['passwordHash']);

/**
 * The user as it is now. Services read it again after changing contacts in a transaction: the
 * database derives users.primary_email from them (migration 0007), so the row they had is stale.
 */
export async function findUserById(db: Database, id: string): Promise<UserRow | undefined> {
  const [row] = await findUsersByIds(db, [id]);
  return row;
}

/** A user by username, case-insensitively: a prepared query (the profile lookup is hot). */
export async function findUserByUsername(db: Database, username: string): Promise<UserRow | undefined> {
  const q = prepared(db, 'user_by_username', (d) =>
    d
      .select(USER_COLUMNS)
      .from(users)
      .where(sql`lower(${users.username}) = lower(${sql.placeholder('username')})`)
      .prepare('user_by_username'),
  );
  const [row] = await q.execute({ username });
  return row;
}

/** Usernames (lowercased) that are `base` or `base-<n>`, to pick a free one. */
export async function findTakenUsernames(db: Database, base: string): Promise<string[]> {
  const escaped = base.replace(/[\\%_]/g, (c) => '\\' + c);
  const rows = await db
    .select({ u: sql<string>`lower(${users.username})` })
    .from(users)
    .where(sql`lower(${users.username}) = ${base} or lower(${users.username}) like ${escaped + '-%'}`);
  return rows.map((r) => r.u);
}

/** Who holds an active email contact with this address (case-insensitively). */
const holdsActiveEmail = (email: string) => and(eq(contacts.type, 'email'), eq(contacts.state, 'active'), sql`lower(${contacts.value}) = lower(${email})`);

/** The owner of an active email contact, matched case-insensitively. */
export async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select({ user: USER_COLUMNS }).from(contacts).innerJoin(users, eq(users.id, contacts.userId)).where(holdsActiveEmail(email));
  return row?.user;
}

/** The user with the password hash, by id: for checking the current password of a signed-in user. */
export async function findSignInUserById(db: Database, id: string): Promise<SignInUserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/**
 * The user a sign-in names, with the password hash: by username (case-insensitively, as
 * findUserByUsername), or by an active email address when `login` holds an `@` (as
 * findUserByEmail).
 */
export async function findSignInUser(db: Database, login: string): Promise<SignInUserRow | undefined> {
  const [row] = login.includes('@')
    ? await db.select({ user: users }).from(contacts).innerJoin(users, eq(users.id, contacts.userId)).where(holdsActiveEmail(login))
    : await db.select({ user: users }).from(users).where(sql`lower(${users.username}) = lower(${login})`);
  return row?.user;
}

export async function insertUser(db: Database, values: NewUser): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning(USER_COLUMNS);
  return row!;
}

export async function updateUser(db: Database, id: string, values: Partial<NewUser>): Promise<UserRow | undefined> {
  const [row] = await db.update(users).set(values).where(eq(users.id, id)).returning(USER_COLUMNS);
  return row;
}

/** Deletes the user; contacts, keys, devices, tokens and memberships go with it (ON DELETE CASCADE). */
export async function deleteUser(db: Database, id: string): Promise<void> {
  await db.delete(users).where(eq(users.id, id));
}

export async function insertContact(db: Database, values: typeof contacts.$inferInsert): Promise<ContactRow> {
  const [row] = await db.insert(contacts).values(values).returning();
  return row!;
}

export async function recordSignIn(db: Database, userId: string, at: Date): Promise<void> {
  await db
    .update(users)
    .set({ lastSignInAt: sql`${users.currentSignInAt}`, currentSignInAt: at })
    .where(eq(users.id, userId));
}

export async function updatePasswordHash(db: Database, userId: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return Number(row!.n);
}

// ---- listing users ----

export type UserOrderField = 'username' | 'createdAt' | 'databaseId';

export interface UserListFilter {
  search?: string | null;
  /**
   * How `search` matches emails: any part of any active one (instance admins), or only a whole
   * address that is primary or validated — or any of the viewer's own (`viewerId`): an
   * unvalidated secondary address is private to its user and must not answer who holds it.
   */
  emailSearch?: 'substring' | 'exact';
  viewerId?: string | null;
  username?: string | null;
  state?: 'active' | 'blocked' | 'disabled' | null;
  isAdmin?: boolean | null;
  /** Only direct members of this organization (uuid). */
  organizationId?: string | null;
  analystConsent?: boolean | null;
}

const likePattern = (s: string) => '%' + s.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

function userFilterWhere(f: UserListFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (f.search) {
    const p = likePattern(f.search);
    const emailMatch =
      f.emailSearch === 'substring'
        ? sql`${contacts.value} ilike ${p}`
        : sql`lower(${contacts.value}) = lower(${f.search}) and (${contacts.isPrimary} or ${contacts.validatedAt} is not null${f.viewerId ? sql` or ${contacts.userId} = ${f.viewerId}` : sql``})`;
    parts.push(sql`(
      ${users.username} ilike ${p}
      or ${users.displayName} ilike ${p}
      or concat_ws(' ', ${users.firstName}, ${users.lastName}) ilike ${p}
      or exists (select 1 from ${contacts} where ${contacts.userId} = ${users.id} and ${contacts.type} = 'email' and ${contacts.state} = 'active' and ${emailMatch})
    )`);
  }
  if (f.username) parts.push(sql`lower(${users.username}) = lower(${f.username})`);
  if (f.state) parts.push(eq(users.state, f.state));
  if (f.isAdmin != null) parts.push(eq(users.isAdmin, f.isAdmin));
  if (f.analystConsent != null) parts.push(eq(users.analystConsent, f.analystConsent));
  if (f.organizationId) {
    parts.push(sql`exists (select 1 from ${memberships} where ${memberships.userId} = ${users.id} and ${memberships.organizationId} = ${f.organizationId})`);
  }
  return parts.length ? and(...parts) : undefined;
}

export function userKeyset(field: UserOrderField, direction: 'asc' | 'desc'): Keyset {
  const col = field === 'username' ? users.username : field === 'createdAt' ? users.createdAt : users.databaseId;
  return { columns: [col, users.id], direction };
}

export interface ListedUser {
  user: UserRow;
  /**
   * created_at as PostgreSQL prints it: microsecond precision, which a JS Date (milliseconds)
   * would lose — a cursor built from the Date would then repeat or skip rows.
   */
  createdAtKey: string;
}

export async function listUsers(db: Database, filter: UserListFilter, keyset: Keyset, page: PageRequest, offset = 0): Promise<ListedUser[]> {
  const q = db
    .select({ user: USER_COLUMNS, createdAtKey: sql<string>`${users.createdAt}::text` })
    .from(users)
    .where(and(userFilterWhere(filter), keysetAfter(keyset, page)))
    .orderBy(...keysetOrder(keyset, page))
    .limit(page.size + 1);
  // OFFSET only for page-number clients (the REST dialects); cursors never need it.
  return offset > 0 ? q.offset(offset) : q;
}

/** Users matching the filter; with `limit`, counted up to limit + 1 (reads no more rows). */
export async function countUsersMatching(db: Database, filter: UserListFilter, limit?: number): Promise<number> {
  if (limit === undefined) {
    const [row] = await db.select({ n: count() }).from(users).where(userFilterWhere(filter));
    return Number(row!.n);
  }
  const matching = db.select({ one: sql`1` }).from(users).where(userFilterWhere(filter)).limit(limit + 1).as('matching');
  const [row] = await db.select({ n: count() }).from(matching);
  return Number(row!.n);
}

/**
 * Users who hold this email address (case-insensitive) as a contact in any state, at most
 * `limit` (only `onlyUserId` when given); each with the organization they joined first (null
 * when none).
 */
export async function findUsersHoldingEmail(
  db: Database,
  email: string,
  limit: number,
  onlyUserId: string | null = null,
): Promise<{ userId: string; organizationId: string | null; organizationSlug: string | null }[]> {
  // Plain SQL with aliases: Drizzle leaves column names unqualified in a correlated subquery.
  const rows = rowsOf<{ user_id: string; organization_id: string | null; slug: string | null }>(
    await db.execute(sql`
      select h.user_id, f.organization_id, f.slug
      from (select distinct c.user_id from contacts c
            where c.type = 'email' and lower(c.value) = lower(${email})${onlyUserId ? sql` and c.user_id = ${onlyUserId}` : sql``}
            limit ${limit}) h
      left join lateral (
        select m.organization_id, o.slug from memberships m join organizations o on o.id = m.organization_id
        where m.user_id = h.user_id order by m.created_at, m.id limit 1) f on true`),
  );
  return rows.map((r) => ({ userId: r.user_id, organizationId: r.organization_id, organizationSlug: r.slug }));
}

/** Slugs of organizations where the user is the only owner (deleting them would orphan those). */
export async function findSoleOwnedOrganizationSlugs(db: Database, userId: string): Promise<string[]> {
  const rows = await db
    .select({ slug: organizations.slug })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.role, 'owner'),
        sql`not exists (select 1 from ${memberships} m2 where m2.organization_id = ${memberships.organizationId} and m2.role = 'owner' and m2.user_id <> ${userId})`,
      ),
    )
    .orderBy(organizations.slug);
  return rows.map((r) => r.slug);
}

// ---- contacts ----

/** Active contacts of each user, oldest first. */
export const findContactsByUserIds = (db: Database, userIds: readonly string[]) =>
  db
    .select()
    .from(contacts)
    .where(and(inArray(contacts.userId, [...userIds]), eq(contacts.state, 'active')))
    .orderBy(asc(contacts.createdAt), asc(contacts.id));

export const findContactsByIds = (db: Database, ids: readonly string[]) => findRowsByIds(db, contacts, ids);

export async function findContactById(db: Database, id: string): Promise<ContactRow | undefined> {
  const [row] = await findContactsByIds(db, [id]);
  return row;
}

export async function updateContact(db: Database, id: string, values: Partial<typeof contacts.$inferInsert>): Promise<ContactRow | undefined> {
  const [row] = await db.update(contacts).set(values).where(eq(contacts.id, id)).returning();
  return row;
}

export async function deleteContact(db: Database, id: string): Promise<void> {
  await db.delete(contacts).where(eq(contacts.id, id));
}

/** Unsets the user's current primary contact of a type (so another can take its place). */
export async function clearPrimaryContact(db: Database, userId: string, type: ContactRow['type']): Promise<void> {
  await db
    .update(contacts)
    .set({ isPrimary: false })
    .where(and(eq(contacts.userId, userId), eq(contacts.type, type), eq(contacts.isPrimary, true)));
}

/** Active contacts of one type a user has besides `exceptId`. */
export async function countOtherContacts(db: Database, userId: string, type: ContactRow['type'], exceptId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(contacts)
    .where(and(eq(contacts.userId, userId), eq(contacts.type, type), eq(contacts.state, 'active'), ne(contacts.id, exceptId)));
  return Number(row!.n);
}

export async function findContactByValue(db: Database, userId: string, type: ContactRow['type'], value: string): Promise<ContactRow | undefined> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.userId, userId), eq(contacts.type, type), eq(contacts.state, 'active'), sql`lower(${contacts.value}) = lower(${value})`));
  return row;
}

// ---- public keys ----

/** Public keys of each user, oldest first. */
export const findPublicKeysByUserIds = (db: Database, userIds: readonly string[]) =>
  db
    .select()
    .from(publicKeys)
    .where(inArray(publicKeys.userId, [...userIds]))
    .orderBy(asc(publicKeys.createdAt), asc(publicKeys.id));

export const findPublicKeysByIds = (db: Database, ids: readonly string[]) => findRowsByIds(db, publicKeys, ids);

export async function insertPublicKey(db: Database, values: typeof publicKeys.$inferInsert): Promise<PublicKeyRow> {
  const [row] = await db.insert(publicKeys).values(values).returning();
  return row!;
}

export async function deletePublicKey(db: Database, id: string): Promise<void> {
  await db.delete(publicKeys).where(eq(publicKeys.id, id));
}

// ---- devices and identities ----

/** Devices of each user, oldest first. */
export const findDevicesByUserIds = (db: Database, userIds: readonly string[]) =>
  db
    .select()
    .from(devices)
    .where(inArray(devices.userId, [...userIds]))
    .orderBy(asc(devices.createdAt), asc(devices.id));

export const findDevicesByIds = (db: Database, ids: readonly string[]) => findRowsByIds(db, devices, ids);

export async function updateDevice(db: Database, id: string, values: Partial<typeof devices.$inferInsert>): Promise<DeviceRow | undefined> {
  const [row] = await db.update(devices).set(values).where(eq(devices.id, id)).returning();
  return row;
}

/** Links the user to an external account: replaces the user's identity at that provider. */
export async function replaceIdentity(db: Database, userId: string, provider: string, externalUid: string): Promise<void> {
  await db.delete(identities).where(and(eq(identities.userId, userId), eq(identities.provider, provider)));
  await db.insert(identities).values({ userId, provider, externalUid });
}

export const findIdentitiesByUserIds = (db: Database, userIds: readonly string[]) =>
  db
    .select()
    .from(identities)
    .where(inArray(identities.userId, [...userIds]))
    .orderBy(asc(identities.provider), asc(identities.id));

// ---- integer ids (the GitLab dialect's paths carry them) ----

export async function findUserByDatabaseId(db: Database, databaseId: number): Promise<UserRow | undefined> {
  const [row] = await db.select(USER_COLUMNS).from(users).where(eq(users.databaseId, databaseId));
  return row;
}

export async function findContactIdByDatabaseId(db: Database, databaseId: number): Promise<string | undefined> {
  const [row] = await db.select({ id: contacts.id }).from(contacts).where(eq(contacts.databaseId, databaseId));
  return row?.id;
}

export async function findPublicKeyIdByDatabaseId(db: Database, databaseId: number): Promise<string | undefined> {
  const [row] = await db.select({ id: publicKeys.id }).from(publicKeys).where(eq(publicKeys.databaseId, databaseId));
  return row?.id;
}

export async function updatePublicKey(db: Database, id: string, values: Partial<typeof publicKeys.$inferInsert>): Promise<PublicKeyRow | undefined> {
  const [row] = await db.update(publicKeys).set(values).where(eq(publicKeys.id, id)).returning();
  return row;
}

/** Removes the user's link to a provider; whether there was one. */
export async function deleteIdentity(db: Database, userId: string, provider: string): Promise<boolean> {
  const rows = await db.delete(identities).where(and(eq(identities.userId, userId), eq(identities.provider, provider))).returning({ id: identities.id });
  return rows.length > 0;
}
