// Seed helpers for groups, messages and event-log rows: real rows through the real
// repositories (no mocks), for tests that need many of them quickly.
import { insertGroup, insertGroupMembers, type GroupRow } from '../../src/modules/groups/group.repo.js';
import { insertEventLog, type EventLogRow, type NewEventLog } from '../../src/modules/logs/log.repo.js';
import { insertAccesses, insertMessage, type MessageRow } from '../../src/modules/messages/message.repo.js';
import type { OrganizationRow } from '../../src/modules/organizations/organization.repo.js';
import type { UserRow } from '../../src/modules/users/user.repo.js';
import type { TestGateway } from './gateway.js';

export interface ContentSeed {
  group(org: OrganizationRow, name: string, opts?: { members?: UserRow[]; admins?: UserRow[] }): Promise<GroupRow>;
  message(
    owner: UserRow,
    opts?: { recipients?: UserRow[]; emails?: string[]; organization?: OrganizationRow; metadata?: Record<string, unknown>; isService?: boolean },
  ): Promise<MessageRow>;
  event(values: Omit<NewEventLog, 'id'>): Promise<EventLogRow>;
}

export function seedContent(t: TestGateway): ContentSeed {
  const db = t.db.db;
  return {
    async group(org, name, opts = {}) {
      const g = await insertGroup(db, { organizationId: org.id, name });
      const admins = opts.admins ?? [];
      await insertGroupMembers(db, g.id, [
        ...admins.map((u) => ({ userId: u.id, isAdmin: true })),
        ...(opts.members ?? []).filter((u) => !admins.includes(u)).map((u) => ({ userId: u.id, isAdmin: false })),
      ]);
      return g;
    },
    async message(owner, opts = {}) {
      const m = await insertMessage(db, {
        ownerId: owner.id,
        organizationId: opts.organization?.id ?? null,
        metadata: opts.metadata ?? {},
        isService: opts.isService ?? false,
      });
      await insertAccesses(db, [
        ...(opts.recipients ?? []).map((u) => ({ messageId: m.id, userId: u.id, addedById: owner.id })),
        ...(opts.emails ?? []).map((email) => ({ messageId: m.id, email, addedById: owner.id })),
      ]);
      return m;
    },
    event: (values) => insertEventLog(db, values),
  };
}
