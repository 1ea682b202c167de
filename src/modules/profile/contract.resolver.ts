// Thin resolvers of contracts: their GraphQL types, `User.contracts` and `createContract`;
// rules and the id computation live in contract.service.ts.
import { Arg, Ctx, Field, FieldResolver, InputType, Int, Mutation, ObjectType, Resolver, Root, Extensions } from 'type-graphql';
import type { Context } from '../../context.js';
import { payload, UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';
import { User, UserReads } from '../users/user.type.js';
import type { ContractRow } from './contract.repo.js';
import { contractsOf, createContract } from './contract.service.js';

@ReadsNoRow()
@ObjectType({ description: 'A party of a contract.' })
export class ContractParty {
  @Field({ description: 'What the party is ("user", "organization", …).' })
  type!: string;
  @Field({ description: 'Its name (a username for users).' })
  name!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'A signature on a contract.' })
export class ContractSignature {
  @Field({ description: 'Who signed.' })
  signedBy!: string;
  @Field({ description: 'When.' })
  date!: Date;
  @Field({ description: 'The public key used.' })
  publicKey!: string;
  @Field({ description: 'The signature.' })
  signature!: string;
}

@ReadsWholeRow()
@ObjectType({ description: 'A contract between parties; its id is computed from its content.' })
export class Contract {
  @Field({ description: 'base58check(RIPEMD-160(SHA-256(the contract’s JSON without id and signatures))).' })
  contractId!: string;
  @Extensions({ maxItems: 50 })
  @Field(() => [ContractParty], { description: 'The parties.' })
  parties!: ContractParty[];
  @Field({ description: 'The content.' })
  content!: string;
  @Field({ description: 'A free tag (at most 40 characters).' })
  contractType!: string;
  @Extensions({ maxItems: 50 })
  @Field(() => [String], { description: 'Ids of contracts this one invalidates.' })
  invalidates!: string[];
  @Extensions({ maxItems: 50 })
  @Field(() => [String], { description: 'Ids of contracts this one extends.' })
  extends!: string[];
  @Field({ description: 'When it expires.' })
  expires!: Date;
  @Extensions({ maxItems: 50 })
  @Field(() => [ContractSignature], { description: 'Signatures.' })
  signatures!: ContractSignature[];
  @Field({ description: 'When it was made here.' })
  createdAt!: Date;

  static from(row: ContractRow): Contract {
    return Object.assign(new Contract(), {
      contractId: row.contractId,
      parties: row.parties.map((p) => Object.assign(new ContractParty(), p)),
      content: row.content,
      contractType: row.contractType,
      invalidates: row.invalidates,
      extends: row.extends,
      expires: row.expires,
      signatures: row.signatures.map((s) => Object.assign(new ContractSignature(), { ...s, date: new Date(s.date) })),
      createdAt: row.createdAt,
    });
  }
}

@InputType({ description: 'A party of a new contract.' })
export class ContractPartyInput {
  @Field({ description: 'What the party is ("user" for users).' })
  type!: string;
  @Field({ description: 'Its name.' })
  name!: string;
}

@InputType({ description: 'A signature on a new contract.' })
export class ContractSignatureInput {
  @Field({ description: 'Who signed.' })
  signedBy!: string;
  @Field({ description: 'When.' })
  date!: Date;
  @Field({ description: 'The public key used.' })
  publicKey!: string;
  @Field({ description: 'The signature.' })
  signature!: string;
}

/**
 * What a new contract says, whoever makes it (a user, or an organization: org-extras.resolver.ts);
 * the inputs that extend it carry its fields.
 */
@InputType({ description: 'What a new contract says (the fields of CreateContractInput and CreateOrganizationContractInput).' })
export abstract class ContractContentInput {
  @Field(() => [ContractPartyInput], { description: 'The parties (1 to 50).' })
  parties!: ContractPartyInput[];
  @Field({ description: 'The content (at most 65536 characters).' })
  content!: string;
  @Field({ description: 'A free tag (at most 40 characters).' })
  contractType!: string;
  @Field(() => [String], { nullable: true, description: 'Ids of contracts this one invalidates.' })
  invalidates?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Ids of contracts this one extends.' })
  extends?: string[] | null;
  @Field({ description: 'When it expires.' })
  expires!: Date;
  @Field(() => String, { nullable: true, description: 'The id, when the caller computed it: it must match.' })
  contractId?: string | null;
  @Field(() => [ContractSignatureInput], { nullable: true, description: 'Signatures.' })
  signatures?: ContractSignatureInput[] | null;
}

@InputType({ description: 'A new contract; the user must be one of its parties.' })
export class CreateContractInput extends ContractContentInput {
  @Field({ description: 'The user making it (yourself, or anyone for instance admins).' })
  username!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'Result of making a contract.' })
export class ContractPayload {
  @Field(() => Contract, { nullable: true, description: 'The contract.' })
  contract?: Contract | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}

@Resolver(() => User)
export class ContractUserResolver {
  @UserReads('id')
  @FieldResolver(() => [Contract], { description: 'Contracts the user is a party of, newest first (a page of at most 250). Empty unless you are the user or an instance admin.' })
  async contracts(
    @Root() user: User,
    @Ctx() ctx: Context,
    @Arg('includeExpired', () => Boolean, { nullable: true, description: 'Also expired ones (default false).' }) includeExpired?: boolean | null,
    @Arg('offset', () => Int, { nullable: true, description: 'Skip this many (default 0).' }) offset?: number | null,
    @Arg('limit', () => Int, { nullable: true, description: 'At most this many (default 50, at most 250).' }) limit?: number | null,
  ): Promise<Contract[]> {
    return (await contractsOf(ctx, user.uuid, { includeExpired, offset, limit })).map(Contract.from);
  }
}

@Resolver()
export class ContractMutationsResolver {
  @Mutation(() => ContractPayload, { description: 'Makes a contract (the user must be a party); its id is computed from its content, a second copy is a CONFLICT.' })
  createContract(@Arg('input', () => CreateContractInput, { description: 'The contract.' }) input: CreateContractInput, @Ctx() ctx: Context) {
    return payload(async () => ({ contract: Contract.from(await createContract(ctx, input)) }));
  }
}
