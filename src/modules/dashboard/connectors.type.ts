// GraphQL types of domain validation keys and connectors (connectors.service.ts).
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow } from '../../core/read/reads.js';
import { ConnectorTypeEnum } from './dashboard.type.js';

@ReadsNoRow()
@ObjectType({ description: 'A team’s proof of control of a domain, for prevalidated connectors on it.' })
export class DomainValidationKey {
  @Field(() => ID, { description: 'The key’s uuid.' })
  uuid!: string;

  @Field({ description: 'The domain.' })
  domain!: string;

  @Field({ description: 'The current key value (what the team publishes).' })
  key!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'A page of the team’s domain validation keys, by page number (offset).' })
export class DomainValidationKeyPage {
  @Field(() => Int, { description: 'How many there are in all.' })
  totalCount!: number;

  @Field(() => [DomainValidationKey], { description: 'This page, by domain.' })
  nodes!: DomainValidationKey[];
}

@ReadsNoRow()
@ObjectType({ description: 'A connector: one of a user’s contacts (email, phone, app, mobile) as the Seald dashboard shows it.' })
export class Connector {
  @Field(() => ID, { description: 'The contact’s uuid.' })
  uuid!: string;

  @Field(() => ConnectorTypeEnum, { description: 'What kind of identity it is.' })
  type!: ConnectorTypeEnum;

  @Field({ description: 'VO: active and validated; PE: active, not validated yet; RE: disabled.' })
  state!: string;

  @Field({ description: 'The address or identifier.' })
  value!: string;

  @Field({ description: 'Whether it is the user’s primary one of its kind.' })
  isPrimary!: boolean;

  @Field({ description: 'When it was added.' })
  createdAt!: Date;

  @Field({ description: 'When it last changed (validation), else when it was added.' })
  updatedAt!: Date;

  @Field(() => ID, { description: 'The user’s uuid.' })
  userUuid!: string;
}

@InputType({ description: 'A prevalidated connector for a member of your team.' })
export class CreateConnectorInput {
  @Field(() => ConnectorTypeEnum, { description: 'EMAIL or APP.' })
  type!: ConnectorTypeEnum;

  @Field({ description: 'The address (on the key’s domain for an email).' })
  value!: string;

  @Field(() => ID, { description: 'Global ID of the user.' })
  userId!: string;

  @Field(() => ID, { description: 'uuid of your team’s domain validation key.' })
  domainValidationKeyId!: string;

  @Field({ description: 'Take the address from another account that holds it.' })
  force!: boolean;
}

@InputType({ description: 'One connector, or one domain validation key, of your team.' })
export class TeamObjectIdInput {
  @Field(() => ID, { description: 'Its uuid.' })
  id!: string;
}

@InputType({ description: 'A new domain validation key.' })
export class CreateDomainValidationKeyInput {
  @Field({ description: 'The domain name.' })
  domain!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'The result of a connector change.' })
export class ConnectorPayload {
  @Field(() => Connector, { nullable: true, description: 'The connector.' })
  connector?: Connector | null;

  @Field(() => [UserError], { description: 'Why it failed (CONFLICT on value: held by another account).' })
  userErrors!: UserError[];
}

@ReadsNoRow()
@ObjectType({ description: 'The result of a domain validation key change.' })
export class DomainValidationKeyPayload {
  @Field(() => DomainValidationKey, { nullable: true, description: 'The key.' })
  domainValidationKey?: DomainValidationKey | null;

  @Field(() => [UserError], { description: 'Why it failed.' })
  userErrors!: UserError[];
}
