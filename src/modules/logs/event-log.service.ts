// Writes the event-log row of a change, inside the change's own transaction. Actions are
// named `entity.verb` in camelCase (organization.create, message.read, login).
import type { Principal } from '../../core/auth/principal.js';
import type { Database } from '../../core/db.js';
import { insertEventLog, type NewEventLog } from './log.repo.js';

export interface Actor {
  principal: Principal;
  ip: string | null;
}

export function recordEvent(tx: Database, actor: Actor, event: Omit<NewEventLog, 'actorUserId' | 'ip' | 'id' | 'occurredAt'>) {
  const actorUserId = actor.principal.kind === 'user' ? actor.principal.userId : null;
  return insertEventLog(tx, { ...event, actorUserId, ip: actor.ip });
}
