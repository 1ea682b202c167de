// GraphQL types of a team's recovery material: admin keys, encrypted backup keys, lost accounts,
// and what an admin key recovers of a message.
import { ArgsType, Extensions, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { JSONObjectScalar } from '../../core/graphql/json-object.js';
import { Node, toGlobalId } from '../../core/graphql/node.js';
import { UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';
import { TeamPageArgs } from '../dashboard/dashboard.type.js';
import { STATE_NAMES } from './lost-account.states.js';
import type { AdminKeyRow, BackupKeyRow, LostAccountRow } from './recovery.repo.js';

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'A backup admin key of a team: its public key, and its private key encrypted by the team’s admins.' })
export class AdminKey extends Node {
  static readonly nodeType = 'AdminKey';
  row!: AdminKeyRow;

  @Field({ description: 'Its name.' })
  name!: string;

  @Field({ description: 'The private key, encrypted by the admins (base64).' })
  encryptedAdminKey!: string;

  @Field({ description: 'The public key users encrypt their backups for (base64).' })
  publicAdminKey!: string;

  @Field({ description: 'When it was created.' })
  createdAt!: Date;

  static from(row: AdminKeyRow): AdminKey {
    const k = new AdminKey();
    k.uuid = row.id;
    k.row = row;
    k.name = row.name;
    k.encryptedAdminKey = row.encryptedAdminKey;
    k.publicAdminKey = row.publicAdminKey;
    k.createdAt = row.createdAt;
    return k;
  }
}

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'A user’s private keys encrypted for one admin key of their team.' })
export class BackupKey extends Node {
  static readonly nodeType = 'BackupKey';
  row!: BackupKeyRow;

  @Field({ description: 'The encrypted backup (base64).' })
  encryptedBackupKey!: string;

  @Field(() => ID, { description: 'Global ID of the admin key it is encrypted for.' })
  adminKeyId!: string;

  @Field(() => ID, { description: 'Global ID of the user whose keys it holds.' })
  userId!: string;

  @Field(() => ID, { nullable: true, description: 'Global ID of the device whose keys it holds, when given.' })
  deviceId!: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'The last renewal’s transaction data.' })
  transactionData!: Record<string, unknown> | null;

  @Field(() => Date, { nullable: true, description: 'When it was last renewed.' })
  renewedAt!: Date | null;

  @Field({ description: 'When it was stored.' })
  createdAt!: Date;

  static from(row: BackupKeyRow): BackupKey {
    const b = new BackupKey();
    b.uuid = row.id;
    b.row = row;
    b.encryptedBackupKey = row.encryptedBackupKey;
    b.adminKeyId = toGlobalId('AdminKey', row.adminKeyId);
    b.userId = toGlobalId('User', row.userId);
    b.deviceId = row.deviceId ? toGlobalId('Device', row.deviceId) : null;
    b.transactionData = row.transactionData;
    b.renewedAt = row.renewedAt;
    b.createdAt = row.createdAt;
    return b;
  }
}

@ReadsWholeRow()
@ObjectType({ implements: Node, description: 'The recovery of a user who lost every device (states 0–6: see `stateName`).' })
export class LostAccount extends Node {
  static readonly nodeType = 'LostAccount';
  row!: LostAccountRow;

  @Field({ description: 'The user’s email when the recovery was opened.' })
  email!: string;

  @Field({ description: 'The name of the new device.' })
  deviceName!: string;

  @Field(() => Int, { description: 'State: 0 open, 1 device created, 2 sigchain validated, 3 keys partly recovered, 4 recovered, 5 cancelled, 6 superseded.' })
  state!: number;

  @Field({ description: 'The state’s name (OPEN, DEVICE_CREATED, SIGCHAIN_VALIDATED, KEYS_PARTIAL, RECOVERED, CANCELLED, SUPERSEDED).' })
  stateName!: string;

  @Field(() => ID, { description: 'Global ID of the user.' })
  userId!: string;

  @Field(() => ID, { nullable: true, description: 'Global ID of the device the recovery created (from state 1).' })
  createdDeviceId!: string | null;

  @Field({ description: 'The new device’s encryption public key (base64).' })
  encryptionPublicKey!: string;

  @Field({ description: 'The new device’s signing public key (base64).' })
  signingPublicKey!: string;

  @Field({ description: 'When the recovery was opened.' })
  createdAt!: Date;

  static from(row: LostAccountRow): LostAccount {
    const a = new LostAccount();
    a.uuid = row.id;
    a.row = row;
    a.email = row.email;
    a.deviceName = row.deviceName;
    a.state = row.state;
    a.stateName = STATE_NAMES[row.state] ?? 'UNKNOWN';
    a.userId = toGlobalId('User', row.userId);
    a.createdDeviceId = row.createdDeviceId ? toGlobalId('Device', row.createdDeviceId) : null;
    a.encryptionPublicKey = row.encryptionPublicKey;
    a.signingPublicKey = row.signingPublicKey;
    a.createdAt = row.createdAt;
    return a;
  }
}

@ReadsNoRow()
@ObjectType({ description: 'A message key the new device of a lost account lacks.' })
export class LostAccountMissingKey {
  @Field(() => ID, { description: 'Global ID of the message.' })
  messageId!: string;

  @Field(() => String, { nullable: true, description: 'The message key encrypted for an older device of the user (base64), to re-encrypt; null when they have none.' })
  token!: string | null;

  @Field(() => ID, { nullable: true, description: 'Global ID of the older device `token` is encrypted for.' })
  createdForKey!: string | null;
}

@ReadsNoRow()
@ObjectType({ description: 'Message keys the new device lacks (at most 100 at once).' })
export class LostAccountMissingKeys {
  @Field(() => [LostAccountMissingKey], { description: 'The messages, oldest first.' })
  items!: LostAccountMissingKey[];

  @Field({ description: 'Whether more are missing than listed (add these, then ask again).' })
  hasMore!: boolean;
}

@ReadsNoRow()
@ObjectType({ description: 'What an admin key recovers of a message for a user.' })
export class MessageRecoverableKey {
  @Field({ description: 'The user’s message key, encrypted for their backed-up device (base64).' })
  token!: string;

  @Field(() => ID, { description: 'Global ID of the device `token` is encrypted for.' })
  createdForKey!: string;

  @Field(() => BackupKey, { description: 'The user’s backup key under the admin key.' })
  backupKey!: BackupKey;
}

@ReadsNoRow()
@ObjectType({ description: 'A page of a team’s admin keys, by page number (offset).' })
export class AdminKeyPage {
  @Field(() => Int, { description: 'How many there are in all.' })
  totalCount!: number;

  // Counted once: the page field's `first` already multiplies (core/graphql/query-cost.ts).
  @Extensions({ maxItems: 1 })
  @Field(() => [AdminKey], { description: 'This page, newest first.' })
  nodes!: AdminKey[];
}

@ReadsNoRow()
@ObjectType({ description: 'A page of a team’s lost accounts, by page number (offset).' })
export class LostAccountPage {
  @Field(() => Int, { description: 'How many match in all.' })
  totalCount!: number;

  // Counted once: the page field's `first` already multiplies (core/graphql/query-cost.ts).
  @Extensions({ maxItems: 1 })
  @Field(() => [LostAccount], { description: 'This page, newest first.' })
  nodes!: LostAccount[];
}

@ArgsType()
export class LostAccountsArgs extends TeamPageArgs {
  @Field(() => [Int], { nullable: true, description: 'Only these states (0–6).' })
  states?: number[] | null;
}

@InputType({ description: 'A new backup admin key of your team.' })
export class CreateAdminKeyInput {
  @Field({ description: 'Its name (1 to 255 characters).' })
  name!: string;

  @Field({ description: 'The private key encrypted by the admins (base64, at most 64 KiB).' })
  encryptedAdminKey!: string;

  @Field({ description: 'The public key (base64, at most 8 KiB).' })
  publicAdminKey!: string;
}

@InputType({ description: 'An admin key of your team.' })
export class AdminKeyIdInput {
  @Field(() => ID, { description: 'Global ID of the admin key.' })
  adminKeyId!: string;
}

@InputType({ description: 'A user’s private keys encrypted for an admin key of their team.' })
export class CreateBackupKeyInput {
  @Field(() => ID, { description: 'Global ID of the team (organization).' })
  organizationId!: string;

  @Field(() => ID, { description: 'Global ID of the admin key.' })
  adminKeyId!: string;

  @Field(() => ID, { nullable: true, description: 'Global ID of the user (default: you; others: the team’s admins only).' })
  userId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global ID of the device whose keys it holds.' })
  deviceId?: string | null;

  @Field({ description: 'The encrypted backup (base64, at most 64 KiB).' })
  encryptedBackupKey!: string;
}

@InputType({ description: 'A new version of a backup key of your team.' })
export class RenewBackupKeyInput {
  @Field(() => ID, { description: 'Global ID of the backup key.' })
  backupKeyId!: string;

  @Field(() => JSONObjectScalar, { description: 'The renewal’s transaction data (at most 16 KiB of JSON).' })
  transactionData!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'The public key the new backup is encrypted for: the admin key’s unless `force`.' })
  encryptionPubKey?: string | null;

  @Field({ description: 'Store it even when encryptionPubKey is not the admin key’s.' })
  force!: boolean;

  @Field({ description: 'The new encrypted backup (base64, at most 64 KiB).' })
  encryptedBackupKey!: string;
}

@InputType({ description: 'Opens the recovery of a member of your team who lost every device.' })
export class CreateLostAccountInput {
  @Field(() => ID, { description: 'Global ID of the user.' })
  userId!: string;

  @Field({ description: 'Name of the new device (1 to 255 characters).' })
  deviceName!: string;

  @Field({ description: 'The new device’s encryption public key (base64, at most 8 KiB).' })
  encryptionPublicKey!: string;

  @Field({ description: 'The new device’s signing public key (base64, at most 8 KiB).' })
  signingPublicKey!: string;
}

@InputType({ description: 'A lost account of your team.' })
export class LostAccountIdInput {
  @Field(() => ID, { description: 'Global ID of the lost account.' })
  lostAccountId!: string;
}

@InputType({ description: '0 → 1: the new device of a lost account.' })
export class LostAccountCreateDeviceInput extends LostAccountIdInput {
  @Field({ description: 'Name of the new device (1 to 255 characters).' })
  deviceName!: string;
}

@InputType({ description: '1 → 2: the sigchain transaction adding the new device.' })
export class LostAccountValidateSigchainInput extends LostAccountIdInput {
  @Field(() => JSONObjectScalar, { description: 'The client-signed transaction (at most 16 KiB of JSON).' })
  sigchainTransaction!: Record<string, unknown>;

  @Field({ description: 'Append it at the next position even when its own `position` differs.' })
  force!: boolean;
}

@InputType({ description: 'One message key for the new device.' })
export class LostAccountKeyInput {
  @Field(() => ID, { description: 'Global ID of the message.' })
  messageId!: string;

  @Field({ description: 'The message key encrypted for the new device (base64, at most 8 KiB).' })
  token!: string;

  @Field(() => String, { nullable: true, description: 'Hash of the device key it is created for (optional).' })
  createdForKeyHash?: string | null;
}

@InputType({ description: '2|3 → 3|4: message keys the new device lacked.' })
export class LostAccountAddMissingKeysInput extends LostAccountIdInput {
  @Field(() => [LostAccountKeyInput], { description: 'At most 100 keys.' })
  keys!: LostAccountKeyInput[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of changing an admin key.' })
export class AdminKeyPayload {
  @Field(() => AdminKey, { nullable: true, description: 'The admin key.' })
  adminKey?: AdminKey | null;

  @Field(() => Int, { nullable: true, description: 'notify: how many members were mailed.' })
  notifiedCount?: number | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of storing a backup key.' })
export class BackupKeyPayload {
  @Field(() => BackupKey, { nullable: true, description: 'The backup key.' })
  backupKey?: BackupKey | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of a lost-account action.' })
export class LostAccountPayload {
  @Field(() => LostAccount, { nullable: true, description: 'The lost account in its new state.' })
  lostAccount?: LostAccount | null;

  @Field(() => [UserError], { description: 'Why it was refused.' })
  userErrors!: UserError[];
}
