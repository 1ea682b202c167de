// Thin resolvers of an Itsyouonline organization's own data: its GraphQL types, the Organization
// fields (apiKeys, registry, descriptions, description, logo, twoFactorValidity, contracts) and
// the mutations. Rules live in org-extras.service.ts and contract.service.ts.
import { Arg, Ctx, Extensions, Field, FieldResolver, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { payload, UserError } from '../../core/graphql/payload.js';
import { ReadsNoRow, ReadsWholeRow } from '../../core/read/reads.js';
import { Organization } from '../organizations/organization.type.js';
import { Contract, ContractContentInput, ContractPayload } from './contract.resolver.js';
import { contractsOfOrganization, createOrganizationContract } from './contract.service.js';
import type { OrganizationApiKeyRow, OrganizationDescriptionRow } from './org-extras.repo.js';
import {
  API_KEYS_MAX,
  DESCRIPTIONS_MAX,
  apiKeysOf,
  createOrganizationApiKey,
  deleteOrganizationApiKey,
  descriptionOf,
  descriptionsOf,
  logoOf,
  organizationRegistryOf,
  removeOrganizationDescription,
  removeOrganizationRegistryEntry,
  setOrganizationDescription,
  setOrganizationLogo,
  setOrganizationRegistryEntry,
  setOrganizationTwoFactorValidity,
  twoFactorValidityOf,
  updateOrganizationApiKey,
} from './org-extras.service.js';
import { RegistryEntry } from './registry.resolver.js';
import { REGISTRY_MAX_ENTRIES } from './registry.service.js';

@ReadsWholeRow()
@ObjectType({ description: 'An API key of an organization (its secret is shown once, when it is made).' })
export class OrganizationApiKey {
  @Field({ description: 'The key’s label, unique in its organization.' })
  label!: string;
  @Field(() => String, { nullable: true, description: 'The callback URL of the application that uses the key.' })
  callbackUrl!: string | null;
  @Field({ description: 'Whether the key may act as the organization itself (Itsyouonline’s client-credentials flow).' })
  clientCredentialsGrantType!: boolean;
  @Field({ description: 'When it was made.' })
  createdAt!: Date;

  static from(row: OrganizationApiKeyRow): OrganizationApiKey {
    return Object.assign(new OrganizationApiKey(), { label: row.label, callbackUrl: row.callbackUrl, clientCredentialsGrantType: row.clientCredentialsGrantType, createdAt: row.createdAt });
  }
}

@ReadsWholeRow()
@ObjectType({ description: 'An organization’s description in one language.' })
export class OrganizationDescription {
  @Field({ description: 'The language key (lower case: `en`, `nl`, `pt-br`, …).' })
  langKey!: string;
  @Field({ description: 'The text.' })
  text!: string;

  static from(row: OrganizationDescriptionRow): OrganizationDescription {
    return Object.assign(new OrganizationDescription(), { langKey: row.langKey, text: row.text });
  }
}

@InputType({ description: 'A new API key of an organization.' })
export class CreateOrganizationApiKeyInput {
  @Field({ description: 'The organization (slug); you must own it.' })
  organization!: string;
  @Field({ description: 'The label: 2 to 50 letters, digits, "-", "_" or spaces.' })
  label!: string;
  @Field(() => String, { nullable: true, description: 'An http(s) callback URL (at most 250 characters).' })
  callbackUrl?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Whether the key may act as the organization (default false).' })
  clientCredentialsGrantType?: boolean | null;
}

@InputType({ description: 'Changes to an API key of an organization (its secret stays).' })
export class UpdateOrganizationApiKeyInput {
  @Field({ description: 'The organization (slug).' })
  organization!: string;
  @Field({ description: 'The key’s current label.' })
  label!: string;
  @Field({ description: 'Its new label (may be the same).' })
  newLabel!: string;
  @Field(() => String, { nullable: true, description: 'The callback URL (null: none).' })
  callbackUrl?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Whether the key may act as the organization (null: false).' })
  clientCredentialsGrantType?: boolean | null;
}

@InputType({ description: 'An API key of an organization, by label.' })
export class OrganizationApiKeyRefInput {
  @Field({ description: 'The organization (slug).' })
  organization!: string;
  @Field({ description: 'The key’s label.' })
  label!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'Result of an API key change.' })
export class OrganizationApiKeyPayload {
  @Field(() => OrganizationApiKey, { nullable: true, description: 'The key (null after a deletion).' })
  apiKey?: OrganizationApiKey | null;
  @Field(() => String, { nullable: true, description: 'The key’s secret: in the answer of its creation only (stored as a hash).' })
  secret?: string | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A registry entry of an organization to write (overwrites the key’s value).' })
export class OrganizationRegistryEntryInput {
  @Field({ description: 'The organization (slug); you must own it.' })
  organization!: string;
  @Field({ description: 'The key, 1 to 256 characters.' })
  key!: string;
  @Field({ description: 'The value, at most 1024 characters.' })
  value!: string;
}

@InputType({ description: 'A registry entry of an organization, by key.' })
export class OrganizationRegistryEntryRefInput {
  @Field({ description: 'The organization (slug).' })
  organization!: string;
  @Field({ description: 'The key.' })
  key!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'Result of an organization registry change.' })
export class OrganizationRegistryEntryPayload {
  @Field(() => RegistryEntry, { nullable: true, description: 'The entry as written (null after a removal).' })
  entry?: RegistryEntry | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}

@InputType({ description: 'An organization’s description in one language.' })
export class OrganizationDescriptionInput {
  @Field({ description: 'The organization (slug); you must own it.' })
  organization!: string;
  @Field({ description: 'The language key (`en`, `nl`, `pt-br`, …; case-insensitive).' })
  langKey!: string;
  @Field({ description: 'The text (at most 10,000 characters).' })
  text!: string;
  @Field(() => Boolean, { nullable: true, description: 'Only change an existing description (NOT_FOUND when the language has none).' })
  onlyExisting?: boolean | null;
}

@InputType({ description: 'An organization’s description, by language.' })
export class OrganizationDescriptionRefInput {
  @Field({ description: 'The organization (slug).' })
  organization!: string;
  @Field({ description: 'The language key.' })
  langKey!: string;
}

@ReadsNoRow()
@ObjectType({ description: 'Result of a description change.' })
export class OrganizationDescriptionPayload {
  @Field(() => OrganizationDescription, { nullable: true, description: 'The description as written (null after a removal).' })
  description?: OrganizationDescription | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}

@InputType({ description: 'An organization’s logo.' })
export class OrganizationLogoInput {
  @Field({ description: 'The organization (slug); you must own it.' })
  organization!: string;
  @Field(() => String, { nullable: true, description: 'The logo as text (clients send a data URL), kept as given; null removes it.' })
  logo?: string | null;
}

@ReadsNoRow()
@ObjectType({ description: 'Result of a logo change.' })
export class OrganizationLogoPayload {
  @Field(() => String, { nullable: true, description: 'The logo now (null: none).' })
  logo?: string | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}

@InputType({ description: 'How long a 2FA sign-in into the organization stays good.' })
export class OrganizationTwoFactorValidityInput {
  @Field({ description: 'The organization (slug); you must own it.' })
  organization!: string;
  @Field(() => Int, { description: 'Seconds; clamped to 0 … 2678400 (31 days).' })
  seconds!: number;
}

@ReadsNoRow()
@ObjectType({ description: 'Result of a 2FA validity change.' })
export class OrganizationTwoFactorValidityPayload {
  @Field(() => Int, { nullable: true, description: 'The seconds stored (after clamping).' })
  seconds?: number | null;
  @Field(() => [UserError], { description: 'Expected failures.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A new contract the organization is a party of (type "organization", name its slug).' })
export class CreateOrganizationContractInput extends ContractContentInput {
  @Field({ description: 'The organization (slug); you must own it.' })
  organization!: string;
}

@Resolver(() => Organization)
export class OrganizationIyoResolver {
  @Extensions({ maxItems: API_KEYS_MAX })
  @FieldResolver(() => [OrganizationApiKey], { description: 'The organization’s API keys, by creation (without secrets). Empty unless you own it.' })
  async apiKeys(@Root() org: Organization, @Ctx() ctx: Context): Promise<OrganizationApiKey[]> {
    return (await apiKeysOf(ctx, org.uuid)).map(OrganizationApiKey.from);
  }

  @Extensions({ maxItems: REGISTRY_MAX_ENTRIES })
  @FieldResolver(() => [RegistryEntry], { description: 'The organization’s registry, by key.' })
  async registry(@Root() org: Organization, @Ctx() ctx: Context): Promise<RegistryEntry[]> {
    return (await organizationRegistryOf(ctx, org.uuid)).map((r) => Object.assign(new RegistryEntry(), { key: r.key, value: r.value, createdAt: r.createdAt }));
  }

  @Extensions({ maxItems: DESCRIPTIONS_MAX })
  @FieldResolver(() => [OrganizationDescription], { description: 'The organization’s descriptions, by language key.' })
  async descriptions(@Root() org: Organization, @Ctx() ctx: Context): Promise<OrganizationDescription[]> {
    return (await descriptionsOf(ctx, org.uuid)).map(OrganizationDescription.from);
  }

  @FieldResolver(() => OrganizationDescription, { nullable: true, description: 'The description in one language; with `withFallback`, the English one when that language has none. Null when there is none.' })
  async description(
    @Root() org: Organization,
    @Ctx() ctx: Context,
    @Arg('langKey', { description: 'The language key (case-insensitive).' }) langKey: string,
    @Arg('withFallback', () => Boolean, { nullable: true, description: 'Fall back to English (default false).' }) withFallback?: boolean | null,
  ): Promise<OrganizationDescription | null> {
    const row = await descriptionOf(ctx, org.uuid, langKey, withFallback === true);
    return row ? OrganizationDescription.from(row) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The logo exactly as it was given (a data URL, as Itsyouonline’s clients send it); null when there is none.' })
  logo(@Root() org: Organization, @Ctx() ctx: Context): Promise<string | null> {
    return logoOf(ctx, org.uuid);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Seconds a 2FA sign-in into the organization stays good (default 604800, 7 days).' })
  twoFactorValidity(@Root() org: Organization, @Ctx() ctx: Context): Promise<number | null> {
    return twoFactorValidityOf(ctx, org.uuid);
  }

  @FieldResolver(() => [Contract], { description: 'Contracts the organization is a party of, newest first (a page of at most 250). Empty unless you own it (or are its API key).' })
  async contracts(
    @Root() org: Organization,
    @Ctx() ctx: Context,
    @Arg('includeExpired', () => Boolean, { nullable: true, description: 'Also expired ones (default false).' }) includeExpired?: boolean | null,
    @Arg('offset', () => Int, { nullable: true, description: 'Skip this many (default 0).' }) offset?: number | null,
    @Arg('limit', () => Int, { nullable: true, description: 'At most this many (default 50, at most 250).' }) limit?: number | null,
  ): Promise<Contract[]> {
    return (await contractsOfOrganization(ctx, org.uuid, { includeExpired, offset, limit })).map(Contract.from);
  }
}

@Resolver()
export class OrganizationIyoMutationsResolver {
  @Mutation(() => OrganizationApiKeyPayload, { description: 'Makes an API key of an organization (owners); its secret is in this answer only. A used label is a CONFLICT.' })
  createOrganizationApiKey(@Arg('input', () => CreateOrganizationApiKeyInput, { description: 'Organization, label and settings.' }) input: CreateOrganizationApiKeyInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const { key, secret } = await createOrganizationApiKey(ctx, input);
      return { apiKey: OrganizationApiKey.from(key), secret };
    });
  }

  @Mutation(() => OrganizationApiKeyPayload, { description: 'Changes an API key’s label or settings (owners); a used label is a CONFLICT.' })
  updateOrganizationApiKey(@Arg('input', () => UpdateOrganizationApiKeyInput, { description: 'The key and its new settings.' }) input: UpdateOrganizationApiKeyInput, @Ctx() ctx: Context) {
    return payload(async () => ({ apiKey: OrganizationApiKey.from(await updateOrganizationApiKey(ctx, input)), secret: null }));
  }

  @Mutation(() => OrganizationApiKeyPayload, { description: 'Deletes an API key (owners): it stops working at once.' })
  deleteOrganizationApiKey(@Arg('input', () => OrganizationApiKeyRefInput, { description: 'The key.' }) input: OrganizationApiKeyRefInput, @Ctx() ctx: Context) {
    return payload(async () => {
      await deleteOrganizationApiKey(ctx, input);
      return { apiKey: null, secret: null };
    });
  }

  @Mutation(() => OrganizationRegistryEntryPayload, { description: 'Writes a key of an organization’s registry (owners), overwriting it; a value over 1024 characters is PAYLOAD_TOO_LARGE.' })
  setOrganizationRegistryEntry(@Arg('input', () => OrganizationRegistryEntryInput, { description: 'Organization, key and value.' }) input: OrganizationRegistryEntryInput, @Ctx() ctx: Context) {
    return payload(async () => {
      const r = await setOrganizationRegistryEntry(ctx, input);
      return { entry: Object.assign(new RegistryEntry(), { key: r.key, value: r.value, createdAt: r.createdAt }) };
    });
  }

  @Mutation(() => OrganizationRegistryEntryPayload, { description: 'Removes a key of an organization’s registry (owners).' })
  removeOrganizationRegistryEntry(@Arg('input', () => OrganizationRegistryEntryRefInput, { description: 'Organization and key.' }) input: OrganizationRegistryEntryRefInput, @Ctx() ctx: Context) {
    return payload(async () => {
      await removeOrganizationRegistryEntry(ctx, input);
      return { entry: null };
    });
  }

  @Mutation(() => OrganizationDescriptionPayload, { description: 'Writes an organization’s description in one language (owners).' })
  setOrganizationDescription(@Arg('input', () => OrganizationDescriptionInput, { description: 'Organization, language and text.' }) input: OrganizationDescriptionInput, @Ctx() ctx: Context) {
    return payload(async () => ({ description: OrganizationDescription.from(await setOrganizationDescription(ctx, input)) }));
  }

  @Mutation(() => OrganizationDescriptionPayload, { description: 'Removes an organization’s description in one language (owners).' })
  removeOrganizationDescription(@Arg('input', () => OrganizationDescriptionRefInput, { description: 'Organization and language.' }) input: OrganizationDescriptionRefInput, @Ctx() ctx: Context) {
    return payload(async () => {
      await removeOrganizationDescription(ctx, input);
      return { description: null };
    });
  }

  @Mutation(() => OrganizationLogoPayload, { description: 'Sets (or with null removes) an organization’s logo (owners); over 524288 characters is PAYLOAD_TOO_LARGE.' })
  setOrganizationLogo(@Arg('input', () => OrganizationLogoInput, { description: 'Organization and logo.' }) input: OrganizationLogoInput, @Ctx() ctx: Context) {
    return payload(async () => ({ logo: await setOrganizationLogo(ctx, { organization: input.organization, logo: input.logo ?? null }) }));
  }

  @Mutation(() => OrganizationTwoFactorValidityPayload, { description: 'Sets how long a 2FA sign-in into the organization stays good (owners), clamped to 0 … 2678400 seconds.' })
  setOrganizationTwoFactorValidity(@Arg('input', () => OrganizationTwoFactorValidityInput, { description: 'Organization and seconds.' }) input: OrganizationTwoFactorValidityInput, @Ctx() ctx: Context) {
    return payload(async () => ({ seconds: await setOrganizationTwoFactorValidity(ctx, input) }));
  }

  @Mutation(() => ContractPayload, { description: 'Makes a contract the organization is a party of (owners); its id is computed as for users’ contracts, a second copy is a CONFLICT.' })
  createOrganizationContract(@Arg('input', () => CreateOrganizationContractInput, { description: 'The contract.' }) input: CreateOrganizationContractInput, @Ctx() ctx: Context) {
    return payload(async () => ({ contract: Contract.from(await createOrganizationContract(ctx, input)) }));
  }
}
