// What the invitations module adds to the graph: invitations, with Organization.invitations
// and User.invitations.
import type { NodeFetchers } from '../node/node.registry.js';
import { InvitationResolver, OrganizationInvitationsResolver, UserInvitationsResolver } from './invitation.resolver.js';
import { readableInvitation } from './invitation.service.js';
import { Invitation } from './invitation.type.js';

import { OrganizationInvitationsIyoResolver } from './iyo-invitations.resolver.js';

export const resolvers: readonly Function[] = [InvitationResolver, OrganizationInvitationsResolver, UserInvitationsResolver, OrganizationInvitationsIyoResolver];

export const nodeFetchers: NodeFetchers = {
  Invitation: async (ctx, id) => {
    const row = await readableInvitation(ctx, id);
    return row ? Invitation.from(row) : null;
  },
};
