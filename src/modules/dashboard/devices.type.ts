// GraphQL types of the key side of devices (devices.service.ts): registering a device and the
// team's page of a member's devices.
import { ArgsType, Extensions, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { JSONObjectScalar } from '../../core/graphql/json-object.js';
import { ReadsNoRow } from '../../core/read/reads.js';
import { Device } from '../users/user.type.js';
import { TeamPageArgs } from './dashboard.type.js';

@InputType({ description: 'A device of yours and its public keys (what Seald’s SDK registers).' })
export class RegisterDeviceInput {
  @Field({ description: 'Name of the device (1–255 characters).' })
  name!: string;

  @Field({ description: 'Public encryption key, base64 (10–2048 characters).' })
  encryptionPublicKey!: string;

  @Field({ description: 'Public signing key, base64 (10–2048 characters).' })
  signingPublicKey!: string;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'The SDK’s signed sigchain transaction for this registration (at most 16 KiB of JSON); without one the server records its own.' })
  transaction?: Record<string, unknown> | null;
}

@ReadsNoRow()
@ObjectType({ description: 'A page of a team member’s devices.' })
export class DevicePage {
  @Field(() => Int, { description: 'How many devices the member has.' })
  totalCount!: number;

  // Cost: the page's field (its `first`) already counts the page's items; each item is one here.
  @Extensions({ maxItems: 1 })
  @Field(() => [Device], { description: 'This page, oldest first.' })
  nodes!: Device[];
}

@ArgsType()
export class TeamDevicesArgs extends TeamPageArgs {
  @Field(() => ID, { description: 'Global ID of the team member.' })
  userId!: string;
}
