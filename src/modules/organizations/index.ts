// What the organizations module adds to the graph.
import type { NodeFetchers } from '../node/node.registry.js';
import { readableOrganization } from './organization.service.js';
import { Organization } from './organization.type.js';
import { membershipWithUser } from './organization.read.js';
import { MembershipResolver, OrganizationMembershipResolver, OrganizationQuotaResolver, OrganizationResolver, UserOrganizationsResolver } from './organization.resolver.js';

import { MembershipScopesResolver, OrganizationIyoResolver, OrganizationMembershipSlugResolver, UserMissingScopesResolver } from './iyo-orgs.resolver.js';

export const resolvers = [
  OrganizationResolver,
  MembershipResolver,
  OrganizationMembershipResolver,
  UserOrganizationsResolver,
  OrganizationQuotaResolver,
  // Itsyouonline's additions (iyo-orgs.*).
  OrganizationIyoResolver,
  OrganizationMembershipSlugResolver,
  MembershipScopesResolver,
  UserMissingScopesResolver,
] as const;

export const nodeFetchers: NodeFetchers = {
  Organization: async (ctx, id) => {
    const row = await readableOrganization(ctx, id);
    return row ? Organization.from(row) : null;
  },
  Membership: async (ctx, id) => {
    const m = await ctx.loaders.membershipById.load(id);
    return m && (await ctx.authz.can('membership:read', { organizationId: m.organizationId })) ? membershipWithUser(ctx, m) : null;
  },
};
