// GraphQL types of groups' key side (group-keys.service.ts): member device key copies, key
// renewal, the group sigchain, and the pages of members, member devices and earlier key sets.
import { ArgsType, Extensions, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { JSONObjectScalar } from '../../core/graphql/json-object.js';
import { ReadsNoRow } from '../../core/read/reads.js';
import { Device } from '../users/user.type.js';
import { GroupMember } from './group.type.js';

@ArgsType()
export class GroupPageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  first!: number;

  @Field(() => Int, { defaultValue: 0, description: 'Skip this many (page-number clients), at most 100000.' })
  offset!: number;
}

@InputType({ description: 'The group’s current key, encrypted for one member device.' })
export class GroupDeviceKeyInput {
  @Field(() => ID, { description: 'Global ID of the device (an active device of the member).' })
  deviceId!: string;

  @Field({ description: 'The group key encrypted for that device, base64 (1–4096 characters).' })
  encryptedMessageKey!: string;

  @Field(() => String, { nullable: true, description: 'Hash of the device key it is encrypted for (base64).' })
  keyHash?: string | null;
}

@InputType({ description: 'A member and their devices’ copies of the group key.' })
export class GroupMemberKeysEntry {
  @Field(() => ID, { description: 'Global ID of the user.' })
  userId!: string;

  @Field(() => Boolean, { nullable: true, description: 'The member’s admin flag; null keeps it (when adding: not admin).' })
  isAdmin?: boolean | null;

  @Field(() => [GroupDeviceKeyInput], { description: 'Copies of the group’s current key for the member’s devices (replacing earlier copies of those devices).' })
  deviceKeys!: GroupDeviceKeyInput[];
}

@InputType({ description: 'Members to add or change, with their device key copies.' })
export class GroupMemberKeysInput {
  @Field(() => ID, { description: 'Global ID of the group.' })
  groupId!: string;

  @Field(() => [GroupMemberKeysEntry], { description: 'The members (at most 100).' })
  members!: GroupMemberKeysEntry[];

  @Field(() => JSONObjectScalar, { nullable: true, description: 'The SDK’s signed membership transaction, appended to the group’s sigchain.' })
  transaction?: Record<string, unknown> | null;
}

@InputType({ description: 'New keys for a group.' })
export class RenewGroupKeysInput {
  @Field(() => ID, { description: 'Global ID of the group.' })
  groupId!: string;

  @Field({ description: 'New public encryption key, base64 (10–2048 characters).' })
  encryptionPublicKey!: string;

  @Field({ description: 'New public signing key, base64 (10–2048 characters).' })
  signingPublicKey!: string;

  @Field({ description: 'New encryption private key, encrypted for the members, base64 (10–4096 characters).' })
  encryptedEncryptionPrivateKey!: string;

  @Field({ description: 'New signing private key, encrypted for the members, base64 (10–4096 characters).' })
  encryptedSigningPrivateKey!: string;

  @Field(() => [GroupDeviceKeyInput], { description: 'The new key encrypted for member devices.' })
  messageKeys!: GroupDeviceKeyInput[];

  @Field(() => JSONObjectScalar, { nullable: true, description: 'The SDK’s signed renewal transaction, appended to the group’s sigchain.' })
  transaction?: Record<string, unknown> | null;
}

@InputType({ description: 'The first two transactions of a group’s sigchain.' })
export class InitGroupSigchainInput {
  @Field(() => ID, { description: 'Global ID of the group.' })
  groupId!: string;

  @Field(() => JSONObjectScalar, { description: 'The group’s creation transaction.' })
  transaction!: Record<string, unknown>;

  @Field(() => JSONObjectScalar, { description: 'The members transaction.' })
  membersTransaction!: Record<string, unknown>;
}

@ReadsNoRow()
@ObjectType({ description: 'One device’s copy of a group key.' })
export class GroupDeviceKeyCopy {
  @Field(() => ID, { nullable: true, description: 'Global ID of the device.' })
  deviceId!: string | null;

  @Field({ description: 'The group key encrypted for that device.' })
  encryptedMessageKey!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'A key set a group had before a renewal.' })
export class GroupKeySet {
  @Field(() => Int, { description: 'Its generation (1: the keys the group was created with).' })
  generation!: number;

  @Field(() => String, { nullable: true, description: 'Public encryption key.' })
  encryptionPublicKey!: string | null;

  @Field(() => String, { nullable: true, description: 'Public signing key.' })
  signingPublicKey!: string | null;

  @Field(() => String, { nullable: true, description: 'Encryption private key, encrypted for the members. Members only.' })
  encryptedEncryptionPrivateKey!: string | null;

  @Field(() => String, { nullable: true, description: 'Signing private key, encrypted for the members. Members only.' })
  encryptedSigningPrivateKey!: string | null;

  @Field(() => [GroupDeviceKeyCopy], { description: 'Your devices’ copies of this generation’s key (members only; empty otherwise).' })
  yourDeviceKeys!: GroupDeviceKeyCopy[];

  @Field({ description: 'When these keys were set.' })
  createdAt!: Date;

  @Field({ description: 'When they were replaced.' })
  replacedAt!: Date;
}

@ReadsNoRow()
@ObjectType({ description: 'A page of a group’s members.' })
export class GroupMemberPage {
  @Field(() => Int, { description: 'How many members the group has.' })
  totalCount!: number;

  // Cost: the page's field (its `first`) already counts the page's items; each item is one here.
  @Extensions({ maxItems: 1 })
  @Field(() => [GroupMember], { description: 'This page, admins first, then by joining order.' })
  nodes!: GroupMember[];
}

@ReadsNoRow()
@ObjectType({ description: 'A device of a group member, and whether it holds the group’s current key.' })
export class GroupDevice {
  @Field(() => Device, { description: 'The device.' })
  device!: Device;

  @Field({ description: 'Whether its user administers the group.' })
  isAdmin!: boolean;

  @Field({ description: 'Whether the device has a copy of the group’s current key.' })
  hasKey!: boolean;

  @Field(() => String, { nullable: true, description: 'The device’s copy of the group’s current key: for the device’s own user only.' })
  encryptedMessageKey!: string | null;
}

@ReadsNoRow()
@ObjectType({ description: 'A page of the devices of a group’s members.' })
export class GroupDevicePage {
  @Field(() => Int, { description: 'How many devices the members have.' })
  totalCount!: number;

  // Cost: the page's field (its `first`) already counts the page's items; each item is one here.
  @Extensions({ maxItems: 1 })
  @Field(() => [GroupDevice], { description: 'This page, by member then device age.' })
  nodes!: GroupDevice[];
}
