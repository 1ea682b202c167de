// GraphQL types of groups: the group, its members, the connection, inputs and payloads.
import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType, ID } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../core/graphql/connection.js';
import { Node } from '../../core/graphql/node.js';
import { ReadsNoRow, ReadsWholeRow, readsOf } from '../../core/read/reads.js';
import { UserError } from '../../core/graphql/payload.js';
import { OrderDirection } from '../../core/graphql/order.js';
import type { GroupMemberRow, GroupRow } from './group.repo.js';
import type { GroupRead } from './group.read.js';

/** @Reads for Group fields: column names checked against the groups row. */
export const GroupReads = readsOf<keyof GroupRow>();

@ObjectType({ implements: Node, description: 'A group of users inside an organization, with its own key material (Seald groups).' })
export class Group extends Node {
  static readonly nodeType = 'Group';
  /** The row as read: its key columns, and what the query's fields declare (GroupRead). */
  row!: GroupRead;

  // Getters on the prototype (read inline by graphql-jit), each reading what its @GroupReads
  // names: a page of names does not ship the groups' key material.

  @GroupReads('databaseId')
  @Field(() => Int, { description: 'Integer id, as used by the accounts dialect.' })
  get databaseId(): number {
    return this.row.databaseId!;
  }

  @GroupReads('name')
  @Field({ description: 'Display name (1–64 characters).' })
  get name(): string {
    return this.row.name;
  }

  @GroupReads('createdAt')
  @Field({ description: 'When the group was created.' })
  get createdAt(): Date {
    return this.row.createdAt!;
  }

  @GroupReads('encryptionPublicKey')
  @Field(() => String, { nullable: true, description: 'Public encryption key of the group.' })
  get encryptionPublicKey(): string | null {
    return this.row.encryptionPublicKey!;
  }

  @GroupReads('signingPublicKey')
  @Field(() => String, { nullable: true, description: 'Public signing key of the group.' })
  get signingPublicKey(): string | null {
    return this.row.signingPublicKey!;
  }

  @GroupReads('keyGeneration')
  @Field(() => Int, { description: 'Generation of the current keys: 1 at creation, one more per renewal (earlier ones: previousKeySets).' })
  get keyGeneration(): number {
    return this.row.keyGeneration!;
  }

  /** From a whole row, or a page's row holding the columns its query's fields declare. */
  static from(row: GroupRead): Group {
    const g = new Group();
    g.uuid = row.id;
    g.row = row;
    return g;
  }
}

@ReadsWholeRow()
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

@ReadsNoRow()
@ObjectType({ description: 'The result of creating or changing a group.' })
export class GroupPayload {
  @Field(() => Group, { nullable: true, description: 'The group.' })
  group?: Group | null;

  @Field(() => [UserError], { description: 'Why the change failed.' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of deleting a group.' })
export class DeleteGroupPayload {
  @Field(() => ID, { nullable: true, description: 'Global ID of the deleted group.' })
  deletedId?: string | null;

  @Field(() => [UserError], { description: 'Why the deletion failed.' })
  userErrors!: UserError[];
}
