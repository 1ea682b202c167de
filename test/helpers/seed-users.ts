// Factories for what users own (devices, identities, SSH keys) and readers for what the users
// module writes on the side (outbox codes, event-log rows). Real rows, no mocks.
import { generateKeyPairSync } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { eventLogs } from '../../schema/logs.js';
import { outbox } from '../../schema/outbox.js';
import { devices, identities } from '../../schema/users.js';
import type { UserRow } from '../../src/modules/users/user.repo.js';
import type { TestGateway } from './gateway.js';

const sshString = (b: Buffer | string) => {
  const data = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
};

/** A fresh OpenSSH ed25519 public key line, e.g. `ssh-ed25519 AAAA… alice@laptop`. */
export function newEd25519Key(comment?: string): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(raw)]);
  return ['ssh-ed25519', blob.toString('base64'), comment].filter(Boolean).join(' ');
}

export async function addDevice(t: TestGateway, user: UserRow, name = 'laptop') {
  const [row] = await t.db.db.insert(devices).values({ userId: user.id, name, lastSeenAt: new Date() }).returning();
  return row!;
}

export async function addIdentity(t: TestGateway, user: UserRow, provider: string, externalUid: string) {
  const [row] = await t.db.db.insert(identities).values({ userId: user.id, provider, externalUid }).returning();
  return row!;
}

/** The newest outbox message to a recipient for a template. */
export async function lastOutbox(t: TestGateway, recipient: string, template: string) {
  const [row] = await t.db.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.recipient, recipient), eq(outbox.template, template)))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(1);
  return row;
}

/** Event-log rows of an action, newest first. */
export const eventsOf = (t: TestGateway, action: string) =>
  t.db.db.select().from(eventLogs).where(eq(eventLogs.action, action)).orderBy(desc(eventLogs.occurredAt), desc(eventLogs.id));
