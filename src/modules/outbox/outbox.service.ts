// Queues outgoing email/SMS inside the caller's transaction: the message exists exactly when
// the change that caused it committed. Delivery happens later (outbox.worker.ts).
import type { ServiceContext } from '../../context.js';
import type { Database } from '../../core/db.js';
import { pageRequest, toConnection, type Connection, type ConnectionArgs } from '../../core/graphql/connection.js';
import { countOutbox, insertOutbox, listOutbox, type NewOutbox, type OutboxRow, type OutboxStatusValue } from './outbox.repo.js';

export type OutboxTemplate = 'invitation' | 'email_validation' | 'phone_validation' | 'password_reset' | 'webhook_disabled';

export function enqueue(tx: Database, message: Omit<NewOutbox, 'id' | 'status' | 'attempts' | 'lastError' | 'createdAt' | 'sentAt'> & { template: OutboxTemplate }): Promise<OutboxRow> {
  return insertOutbox(tx, message);
}

/** The outbox as operators read it, newest first: instance admins only. */
export async function listOutboxMessages(
  ctx: ServiceContext,
  args: ConnectionArgs,
  filter: { status?: OutboxStatusValue | null },
): Promise<Connection<OutboxRow>> {
  await ctx.authz.assert('instance:admin', {}, { message: 'Only instance admins read the outbox' });
  const page = pageRequest(args);
  const rows = await listOutbox(ctx.db, filter, page);
  for (const r of rows) ctx.loaders.outboxMessageById.prime(r.id, r);
  return toConnection(rows, page, (r) => [r.id], (r) => r, () => countOutbox(ctx.db, filter));
}

/** One outbox message for node(id): instance admins only; null for everyone else. */
export async function readableOutboxMessage(ctx: ServiceContext, id: string): Promise<OutboxRow | null> {
  if (!ctx.authz.isInstanceAdmin) return null;
  return ctx.loaders.outboxMessageById.load(id);
}
