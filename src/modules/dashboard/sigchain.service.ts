// The one place that writes signature chains (Seald's sigchains): a user's chain records their
// devices' registrations and revocations, a group's chain its membership and key changes. Every
// append happens inside the caller's transaction, next to the change it records and its
// event-log row, so a chain never mentions a change that did not commit (nor misses one that did).
// Readers (the dashboard's `users/{id}/sigchain/`, the lost-account flow's validate_sigchain)
// read chains through `userSigchain`.
import type { Database } from '../../core/db.js';
import { appendGroupSigchain, appendUserSigchain, countGroupSigchain, listUserSigchain, nextUserSigchainPosition, type GroupSigchainRow, type SigchainRow } from './sigchain.repo.js';

export type { GroupSigchainRow, SigchainRow };

/** What the server records when the client sent no signed transaction of its own. */
export type ServerTransaction = { operation: string; created_at: string } & Record<string, unknown>;

export const serverTransaction = (operation: string, fields: Record<string, unknown>): ServerTransaction => ({ operation, ...fields, created_at: new Date().toISOString() });

/** Appends to the user's chain, in chain order (position unique per user). Inside the change's transaction. */
export const appendToUserSigchain = (tx: Database, userId: string, transaction: Record<string, unknown>): Promise<SigchainRow> => appendUserSigchain(tx, userId, transaction);

/** Appends to the group's chain, in chain order. Inside the change's transaction. */
export const appendToGroupSigchain = (tx: Database, groupId: string, transaction: Record<string, unknown>): Promise<GroupSigchainRow> => appendGroupSigchain(tx, groupId, transaction);

/** A user's whole chain in order (callers decide who may read it). */
export const userSigchain = (db: Database, userId: string): Promise<SigchainRow[]> => listUserSigchain(db, userId);

/** The position the user's next transaction takes (a client naming a position must name this one). */
export const userSigchainNextPosition = (db: Database, userId: string): Promise<number> => nextUserSigchainPosition(db, userId);

/** Whether the group's chain has been started. */
export const groupSigchainStarted = async (db: Database, groupId: string): Promise<boolean> => (await countGroupSigchain(db, groupId)) > 0;
