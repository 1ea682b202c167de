// Thin resolvers of domain validation keys and connectors; rules in connectors.service.ts.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { notFound, validation } from '../../core/errors.js';
import { idOfType } from '../../core/graphql/node.js';
import { payload } from '../../core/graphql/payload.js';
import { isUuid } from '../../core/validation.js';
import { Organization } from '../organizations/organization.type.js';
import type { ContactRow } from '../users/user.repo.js';
import { createConnector, createDomainKey, deleteConnector, refreshDomainKey, setPrimaryConnector, teamConnectors, teamDomainKeys } from './connectors.service.js';
import { Connector, ConnectorPayload, CreateConnectorInput, CreateDomainValidationKeyInput, DomainValidationKey, DomainValidationKeyPage, DomainValidationKeyPayload, TeamObjectIdInput } from './connectors.type.js';
import type { DomainKeyRow } from './dashboard.repo.js';
import { checkPage } from './dashboard.resolver.js';
import { ConnectorTypeEnum, TeamPageArgs } from './dashboard.type.js';

const domainKey = (r: DomainKeyRow): DomainValidationKey => ({ uuid: r.id, domain: r.domain, key: r.key });

const connector = (c: ContactRow): Connector => ({
  uuid: c.id,
  type: c.type as ConnectorTypeEnum,
  state: c.state === 'disabled' ? 'RE' : c.validatedAt ? 'VO' : 'PE',
  value: c.value,
  isPrimary: c.isPrimary,
  createdAt: c.createdAt,
  updatedAt: c.validatedAt && c.validatedAt > c.createdAt ? c.validatedAt : c.createdAt,
  userUuid: c.userId,
});

/** A uuid argument, or NOT_FOUND (a forged id is a missing one). */
function uuidArg(id: string, what: string): string {
  if (!isUuid(id)) throw notFound(`${what} not found`);
  return id.toLowerCase();
}

function userArg(id: string): string {
  const uuid = idOfType(id, 'User');
  if (!uuid) throw notFound('User not found');
  return uuid;
}

@Resolver()
export class ConnectorResolver {
  @Query(() => [Connector], { description: 'A member of your team’s connectors (team admins).' })
  async teamConnectors(@Arg('userId', () => ID, { description: 'Global ID of the user.' }) userId: string, @Ctx() ctx: Context): Promise<Connector[]> {
    return (await teamConnectors(ctx, userArg(userId))).map(connector);
  }

  @Mutation(() => ConnectorPayload, { description: 'Adds a prevalidated connector to a member of your team.' })
  createConnector(@Arg('input', () => CreateConnectorInput, { description: 'The connector.' }) input: CreateConnectorInput, @Ctx() ctx: Context): Promise<ConnectorPayload> {
    return payload(async () => {
      if (input.type !== ConnectorTypeEnum.EMAIL && input.type !== ConnectorTypeEnum.APP) throw validation('type', 'Only EMAIL and APP connectors can be created');
      const row = await createConnector(ctx, { type: input.type, value: input.value, userId: userArg(input.userId), domainValidationKeyId: uuidArg(input.domainValidationKeyId, 'Domain validation key'), force: input.force });
      return { connector: connector(row) };
    });
  }

  @Mutation(() => ConnectorPayload, { description: 'Makes a connector of a member of your team their primary one of its kind.' })
  setPrimaryConnector(@Arg('input', () => TeamObjectIdInput, { description: 'The connector.' }) input: TeamObjectIdInput, @Ctx() ctx: Context): Promise<ConnectorPayload> {
    return payload(async () => ({ connector: connector(await setPrimaryConnector(ctx, uuidArg(input.id, 'Connector'))) }));
  }

  @Mutation(() => ConnectorPayload, { description: 'Deletes a connector of a member of your team.' })
  deleteConnector(@Arg('input', () => TeamObjectIdInput, { description: 'The connector.' }) input: TeamObjectIdInput, @Ctx() ctx: Context): Promise<ConnectorPayload> {
    return payload(async () => ({ connector: connector(await deleteConnector(ctx, uuidArg(input.id, 'Connector'))) }));
  }

  @Mutation(() => DomainValidationKeyPayload, { description: 'A validation key for a domain of your team.' })
  createDomainValidationKey(@Arg('input', () => CreateDomainValidationKeyInput, { description: 'The domain.' }) input: CreateDomainValidationKeyInput, @Ctx() ctx: Context): Promise<DomainValidationKeyPayload> {
    return payload(async () => ({ domainValidationKey: domainKey(await createDomainKey(ctx, input.domain)) }));
  }

  @Mutation(() => DomainValidationKeyPayload, { description: 'Gives one of your team’s domain validation keys a new value (same id and domain).' })
  refreshDomainValidationKey(@Arg('input', () => TeamObjectIdInput, { description: 'The key.' }) input: TeamObjectIdInput, @Ctx() ctx: Context): Promise<DomainValidationKeyPayload> {
    return payload(async () => ({ domainValidationKey: domainKey(await refreshDomainKey(ctx, uuidArg(input.id, 'Domain validation key'))) }));
  }
}

@Resolver(() => Organization)
export class OrganizationDomainKeysResolver {
  @FieldResolver(() => DomainValidationKeyPage, { description: 'The domain validation keys of this organization as a team (its admins; empty for others), by domain.' })
  async domainValidationKeys(@Root() org: Organization, @Args(() => TeamPageArgs) args: TeamPageArgs, @Ctx() ctx: Context): Promise<DomainValidationKeyPage> {
    checkPage(args);
    const r = await teamDomainKeys(ctx, org.uuid, args.first, args.offset);
    return { nodes: r.rows.map(domainKey), get totalCount() { return r.count() as unknown as number; } };
  }
}
