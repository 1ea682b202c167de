// Queues outgoing email/SMS inside the caller's transaction: the message exists exactly when
// the change that caused it committed. Delivery happens later (outbox.worker.ts).
import type { Database } from '../../core/db.js';
import { insertOutbox, type NewOutbox, type OutboxRow } from './outbox.repo.js';

export type OutboxTemplate = 'invitation' | 'email_validation' | 'phone_validation' | 'password_reset';

export function enqueue(tx: Database, message: Omit<NewOutbox, 'id' | 'status' | 'attempts' | 'lastError' | 'createdAt' | 'sentAt'> & { template: OutboxTemplate }): Promise<OutboxRow> {
  return insertOutbox(tx, message);
}
