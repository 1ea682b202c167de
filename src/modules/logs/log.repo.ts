// SQL for the append-only event log and login log.
import { eventLogs, loginLogs } from '../../../schema/logs.js';
import type { Database } from '../../core/db.js';

export type EventLogRow = typeof eventLogs.$inferSelect;
export type NewEventLog = typeof eventLogs.$inferInsert;
export type LoginLogRow = typeof loginLogs.$inferSelect;

export async function insertEventLog(db: Database, values: NewEventLog): Promise<EventLogRow> {
  const [row] = await db.insert(eventLogs).values(values).returning();
  return row!;
}

export async function insertLoginLog(db: Database, values: typeof loginLogs.$inferInsert): Promise<LoginLogRow> {
  const [row] = await db.insert(loginLogs).values(values).returning();
  return row!;
}
