// Batched loads of the invitations module (and of login logs and the outbox, whose readers
// live with it), one query per batch: invitations by id, the first N invitations of each
// organization and received by each user, the caller's active contacts, login logs.
import DataLoader from 'dataloader';
import type { Database } from '../../core/db.js';
import type { PageRequest } from '../../core/graphql/connection.js';
import { listLoader, loaderFamily, rowLoader } from '../../core/loaders.js';
import { countLoginLogsByUserIds, findLoginLogPagesByUserIds, findLoginLogsByIds } from '../logs/login-log.repo.js';
import { findOutboxByIds } from '../outbox/outbox.repo.js';
import {
  countInvitationsByOrganizationIds,
  countReceivedInvitationsByUserIds,
  findActiveContactsByUserIds,
  findInvitationPagesByOrganizationIds,
  findInvitationsByIds,
  findReceivedInvitationPagesByUserIds,
  type InvitationRow,
  type InvitationStatusValue,
} from './invitation.repo.js';

type PageArgs = { status: InvitationStatusValue | null; page: PageRequest };

const counter = (count: (ids: readonly string[]) => Promise<Map<string, number>>) =>
  new DataLoader<string, number>(async (ids) => {
    const counts = await count(ids);
    return ids.map((id) => counts.get(id) ?? 0);
  });

export const createInvitationsLoaders = (db: Database) => ({
  invitationById: rowLoader((ids: readonly string[]) => findInvitationsByIds(db, ids), (i) => i.id),
  invitationPageByOrganizationId: loaderFamily(
    (args: PageArgs) => listLoader((ids: readonly string[]) => findInvitationPagesByOrganizationIds(db, ids, args), (i: InvitationRow) => i.organizationId),
  ),
  invitationCountByOrganizationId: loaderFamily((status: InvitationStatusValue | null) => counter((ids) => countInvitationsByOrganizationIds(db, ids, status))),
  receivedInvitationPageByUserId: loaderFamily((args: PageArgs) =>
    new DataLoader<string, InvitationRow[]>(async (ids) => {
      const rows = await findReceivedInvitationPagesByUserIds(db, ids, args);
      const byUser = new Map<string, InvitationRow[]>();
      for (const r of rows) {
        const list = byUser.get(r.forUserId);
        if (list) list.push(r.invitation);
        else byUser.set(r.forUserId, [r.invitation]);
      }
      return ids.map((id) => byUser.get(id) ?? []);
    }),
  ),
  receivedInvitationCountByUserId: loaderFamily((status: InvitationStatusValue | null) => counter((ids) => countReceivedInvitationsByUserIds(db, ids, status))),
  /** Active emails (lower-cased) and phones (normalized) of each user: who an invitation is addressed to. */
  activeContactsByUserId: new DataLoader<string, { emails: Set<string>; phones: Set<string> }>(async (ids) => {
    const rows = await findActiveContactsByUserIds(db, ids);
    return ids.map((id) => {
      const mine = rows.filter((r) => r.userId === id);
      return { emails: new Set(mine.filter((r) => r.type === 'email').map((r) => r.value)), phones: new Set(mine.filter((r) => r.type === 'phone').map((r) => r.value)) };
    });
  }),

  loginLogById: rowLoader((ids: readonly string[]) => findLoginLogsByIds(db, ids), (l) => l.id),
  loginLogPageByUserId: loaderFamily((page: PageRequest) => listLoader((ids: readonly string[]) => findLoginLogPagesByUserIds(db, ids, page), (l) => l.userId!)),
  loginLogCountByUserId: counter((ids) => countLoginLogsByUserIds(db, ids)),

  outboxMessageById: rowLoader((ids: readonly string[]) => findOutboxByIds(db, ids), (m) => m.id),
});
