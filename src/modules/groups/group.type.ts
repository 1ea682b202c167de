// GraphQL types of groups: the group, its members, the connection, inputs and payloads.
import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType, ID } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../core/graphql/connection.js';
import { Node } from '../../core/graphql/node.js';
import { columnsForFields } from '../../core/graphql/selection.js';
import { UserError } from '../../core/graphql/payload.js';
import { OrderDirection } from '../../core/graphql/order.js';
import type { GroupMemberRow, GroupRow } from './group.repo.js';

@ObjectType({ implements: Node, description: 'A group of users inside an organization, with its own key material (Seald groups).' })
export class Group extends Node {
  static readonly nodeType = 'Group';
  row!: GroupRow;

  @Field(() => Int, { description: 'Integer id, as used by the accounts dialect.' })
  databaseId!: number;

  @Field({ description: 'Display name (1–64 characters).' })
  name!: string;

  @Field({ description: 'When the group was created.' })
  createdAt!: Date;

  @Field(() => String, { nullable: true, description: 'Public encryption key of the group.' })
  encryptionPublicKey!: string | null;

  @Field(() => String, { nullable: true, description: 'Public signing key of the group.' })
  signingPublicKey!: string | null;

  static from(row: GroupRow): Group {
    const g = new Group();
    g.uuid = row.id;
    g.row = row;
    g.databaseId = row.databaseId;
    g.name = row.name;
    g.createdAt = row.createdAt;
    g.encryptionPublicKey = row.encryptionPublicKey;
    g.signingPublicKey = row.signingPublicKey;
    return g;
  }
}

/**
 * The groups columns each Group field reads (in `from` or group.resolver.ts); `id`, the
 * organization and the name always come along (policy checks and member lookups take the first
 * two from the row, a page's cursors the name).
 * Lists of groups read only these, so a page of names does not ship four keys of up to 4 KB.
 */
const GROUP_FIELD_COLUMNS: Record<string, readonly (keyof GroupRow)[]> = {
  __typename: [],
  id: [],
  databaseId: ['databaseId'],
  name: ['name'],
  createdAt: ['createdAt'],
  encryptionPublicKey: ['encryptionPublicKey'],
  signingPublicKey: ['signingPublicKey'],
  encryptedEncryptionPrivateKey: ['encryptedEncryptionPrivateKey'],
  encryptedSigningPrivateKey: ['encryptedSigningPrivateKey'],
  organization: [],
  members: [],
  admins: [],
  viewerCanManage: [],
};

/** The groups columns that answer every field in `fields` (see columnsForFields); null: all. */
export const groupColumnsFor = columnsForFields<keyof GroupRow>(GROUP_FIELD_COLUMNS, ['id', 'organizationId', 'name']);

@ObjectType({ description: 'A user’s membership in a group.' })
export class GroupMember {
  userUuid!: string;
  groupUuid!: string;

  @Field({ description: 'Whether the member administers the group (changes its members and name).' })
  isAdmin!: boolean;

  @Field({ description: 'When the user joined the group.' })
  createdAt!: Date;

  static from(row: GroupMemberRow): GroupMember {
    const m = new GroupMember();
    m.userUuid = row.userId;
    m.groupUuid = row.groupId;
    m.isAdmin = row.isAdmin;
    m.createdAt = row.createdAt;
    return m;
  }
}

export const GroupConnection = ConnectionType(Group, 'Group');

export enum GroupOrderField {
  NAME = 'name',
  CREATED_AT = 'createdAt',
}
registerEnumType(GroupOrderField, { name: 'GroupOrderField', description: 'What groups are sorted by.' });

@InputType({ description: 'How to sort groups (the id breaks ties).' })
export class GroupOrder {
  @Field(() => GroupOrderField, { description: 'Sort key.' })
  field!: GroupOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'Direction.' })
  direction!: OrderDirection;
}

@InputType({ description: 'Which groups to list.' })
export class GroupFilterInput {
  @Field(() => ID, { nullable: true, description: 'Only groups of this organization (global ID).' })
  organization?: string | null;

  @Field(() => String, { nullable: true, description: 'Name contains this (case-insensitive).' })
  nameContains?: string | null;
}

@ArgsType()
export class GroupsArgs extends ConnectionArgs {
  @Field(() => GroupFilterInput, { nullable: true, description: 'Filter.' })
  filter?: GroupFilterInput | null;

  @Field(() => GroupOrder, { nullable: true, description: 'Order; default name ascending.' })
  orderBy?: GroupOrder | null;

  @Field(() => Int, { nullable: true, description: 'Skip this many groups (with `first` only, at most 100000): for page-number clients such as the REST dialects; prefer cursors.' })
  offset?: number | null;
}

@InputType({ description: 'The group’s message key, encrypted for one member device.' })
export class GroupMessageKeyInput {
  @Field(() => ID, { nullable: true, description: 'Global ID of the device the key is encrypted for.' })
  createdForDeviceId?: string | null;

  @Field(() => String, { nullable: true, description: 'Hash of the device key it is encrypted for.' })
  createdForKeyHash?: string | null;

  @Field({ description: 'The encrypted message key.' })
  encryptedMessageKey!: string;
}

@InputType({ description: 'A new group in an organization.' })
export class CreateGroupInput {
  @Field(() => ID, { description: 'Global ID of the organization.' })
  organizationId!: string;

  @Field({ description: 'Name (1–64 characters).' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Public encryption key (10–2048 characters).' })
  encryptionPublicKey?: string | null;

  @Field(() => String, { nullable: true, description: 'Public signing key (10–2048 characters).' })
  signingPublicKey?: string | null;

  @Field(() => String, { nullable: true, description: 'Encryption private key, encrypted for the members (10–4096 characters).' })
  encryptedEncryptionPrivateKey?: string | null;

  @Field(() => String, { nullable: true, description: 'Signing private key, encrypted for the members (10–4096 characters).' })
  encryptedSigningPrivateKey?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Global IDs of the initial members (members of the organization).' })
  memberIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Global IDs of the initial admins (they become members too).' })
  adminIds?: string[] | null;

  @Field(() => [GroupMessageKeyInput], { nullable: true, description: 'The group’s message key for each member device.' })
  messageKeys?: GroupMessageKeyInput[] | null;
}

@InputType({ description: 'A group’s new name.' })
export class RenameGroupInput {
  @Field(() => ID, { description: 'Global ID of the group.' })
  id!: string;

  @Field({ description: 'New name (1–64 characters).' })
  name!: string;
}

@InputType({ description: 'The group to delete.' })
export class DeleteGroupInput {
  @Field(() => ID, { description: 'Global ID of the group.' })
  id!: string;
}

@InputType({ description: 'Users to add to or remove from a group.' })
export class GroupMembersInput {
  @Field(() => ID, { description: 'Global ID of the group.' })
  groupId!: string;

  @Field(() => [ID], { description: 'Global IDs of the users (at most 100).' })
  userIds!: string[];

  @Field(() => Boolean, { nullable: true, description: 'When adding: make them admins of the group.' })
  isAdmin?: boolean | null;
}

@InputType({ description: 'Grant or take a member’s admin flag.' })
export class SetGroupAdminInput {
  @Field(() => ID, { description: 'Global ID of the group.' })
  groupId!: string;

  @Field(() => ID, { description: 'Global ID of the member.' })
  userId!: string;

  @Field({ description: 'Whether the member administers the group.' })
  isAdmin!: boolean;
}

@ObjectType({ description: 'The result of creating or changing a group.' })
export class GroupPayload {
  @Field(() => Group, { nullable: true, description: 'The group.' })
  group?: Group | null;

  @Field(() => [UserError], { description: 'Why the change failed.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The result of deleting a group.' })
export class DeleteGroupPayload {
  @Field(() => ID, { nullable: true, description: 'Global ID of the deleted group.' })
  deletedId?: string | null;

  @Field(() => [UserError], { description: 'Why the deletion failed.' })
  userErrors!: UserError[];
}
