// SQL for reading the login log (rows are written by the auth module through log.repo.ts).
// Newest first by id: ids are uuid v7, so this is creation order, and exact in a cursor.
import { and, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { loginLogs } from '../../../schema/logs.js';
import type { Database } from '../../core/db.js';
import { findRowsByIds } from '../../core/json-rows.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { keysetAfter, keysetOrder, type Keyset } from '../../core/pagination.js';
import type { LoginLogRow } from './log.repo.js';

export type { LoginLogRow };

export const LOGIN_LOG_KEYSET: Keyset = { columns: [loginLogs.id], direction: 'desc' };

export interface LoginLogFilter {
  /** Only this user's attempts; `undefined` for everyone's (the service decides who may). */
  userId?: string;
  success?: boolean | null;
}

function filterWhere(f: LoginLogFilter): SQL | undefined {
  return and(f.userId !== undefined ? eq(loginLogs.userId, f.userId) : undefined, f.success != null ? eq(loginLogs.success, f.success) : undefined);
}

export async function listLoginLogs(db: Database, filter: LoginLogFilter, page: PageRequest, offset = 0): Promise<LoginLogRow[]> {
  const q = db
    .select()
    .from(loginLogs)
    .where(and(filterWhere(filter), keysetAfter(LOGIN_LOG_KEYSET, page)))
    .orderBy(...keysetOrder(LOGIN_LOG_KEYSET, page))
    .limit(page.size + 1);
  return offset > 0 ? q.offset(offset) : q;
}

export async function countLoginLogs(db: Database, filter: LoginLogFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(loginLogs).where(filterWhere(filter));
  return Number(row!.n);
}

export const findLoginLogsByIds = (db: Database, ids: readonly string[]) => findRowsByIds(db, loginLogs, ids);

/** The first N login-log rows of each user, newest first, in ONE statement (top-N per user). */
export async function findLoginLogPagesByUserIds(db: Database, userIds: readonly string[], page: PageRequest): Promise<LoginLogRow[]> {
  const order = sql.join(keysetOrder(LOGIN_LOG_KEYSET, page), sql`, `);
  const ranked = db.$with('ranked').as(
    db
      .select({ id: loginLogs.id, rn: sql<number>`row_number() over (partition by ${loginLogs.userId} order by ${order})`.as('rn') })
      .from(loginLogs)
      .where(and(inArray(loginLogs.userId, [...userIds]), keysetAfter(LOGIN_LOG_KEYSET, page))),
  );
  const rows = await db
    .with(ranked)
    .select({ log: loginLogs })
    .from(ranked)
    .innerJoin(loginLogs, eq(loginLogs.id, ranked.id))
    .where(sql`${ranked.rn} <= ${page.size + 1}`)
    .orderBy(loginLogs.userId, ranked.rn);
  return rows.map((r) => r.log);
}

export async function countLoginLogsByUserIds(db: Database, userIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: loginLogs.userId, n: count() })
    .from(loginLogs)
    .where(inArray(loginLogs.userId, [...userIds]))
    .groupBy(loginLogs.userId);
  return new Map(rows.map((r) => [r.id!, Number(r.n)]));
}
