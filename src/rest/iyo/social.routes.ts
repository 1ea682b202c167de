// Linked accounts and notifications of a user: unlinking GitHub and Facebook (204, also when
// nothing was linked), and the pending notifications.
//
// Choices where the document is vague:
// - Notifications list the user's pending invitations (at most 100, newest first) and, per
//   organization the user is a member of, the required scopes not granted to it yet
//   (`missingscopes`, at most 100 organizations); approvals and contract signing requests are
//   empty until those parts exist.
import type { Route } from '../types.js';
import { OWNER_FIELDS, requireOwner, tokenQuery, usernameParams } from './common.js';
import { INVITATION_FIELDS, invitationBody, invitationSchema } from './organizations.routes.js';

const unlink = (provider: 'github' | 'facebook'): Route => ({
  method: 'DELETE',
  path: `/users/:username/${provider}`,
  summary: `Unlinks the user’s ${provider === 'github' ? 'GitHub' : 'Facebook'} account (204).`,
  params: usernameParams(),
  querystring: tokenQuery,
  status: 204,
  operation: `mutation iyo_unlink_${provider}($input: UnlinkIdentityInput!) { unlinkIdentity(input: $input) { user { id } userErrors { code field message } } }`,
  variables: (r) => ({ input: { username: r.params.username, provider } }),
  respond: () => ({ status: 204, body: undefined }),
});

export const socialRoutes: Route[] = [
  unlink('github'),
  unlink('facebook'),
  {
    method: 'GET',
    path: '/users/:username/notifications',
    summary: 'The user’s pending invitations and the scopes their organizations require that they have not granted (and, later, approvals and contract requests).',
    params: usernameParams(),
    querystring: tokenQuery,
    response: {
      type: 'object',
      properties: { invitations: { type: 'array', items: invitationSchema }, approvals: { type: 'array' }, contractRequests: { type: 'array' }, missingscopes: { type: 'array', items: { type: 'object', properties: { organization: { type: 'string' }, scopes: { type: 'array', items: { type: 'string' } } } } },
      },
    },
    operation: `query iyo_notifications($username: String!) { ${OWNER_FIELDS} user(username: $username) { id username invitations(first: 100, status: PENDING) { nodes { ${INVITATION_FIELDS} } } organizationMissingScopes { organizationSlug scopes } } }`,
    variables: (r) => ({ username: r.params.username }),
    respond: (d) => {
      const u = requireOwner<{ id: string; username: string; invitations: { nodes: Record<string, unknown>[] }; organizationMissingScopes: { organizationSlug: string; scopes: string[] }[] }>(d);
      const missingscopes = u.organizationMissingScopes.map((m) => ({ organization: m.organizationSlug, scopes: m.scopes }));
      return { body: { invitations: u.invitations.nodes.map((i) => invitationBody(i, u.username)), approvals: [], contractRequests: [], missingscopes } };
    },
  },
];
