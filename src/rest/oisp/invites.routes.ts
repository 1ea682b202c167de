// The IoT platform's invitation API (../shared/seeds/003_ea8492bbc380678b.txt): an "account"
// is an organization (its uuid), an invitation is addressed to an email. The four documented
// operations, plus POST /accounts/{accountId}/invites, which the platform's SDK calls (the
// document says creation happens in the dashboard).
import { DomainError, notFound } from '../../core/errors.js';
import { fromGlobalId, toGlobalId } from '../../core/graphql/node.js';
import { emailString, uuidString } from '../schemas.js';
import type { JsonSchema, Route } from '../types.js';

const uuid = uuidString;
const email: JsonSchema = { ...emailString, minLength: 3 };

/** The documented invitation object. `domainId` is the account id again (the platform used both). */
const invitationSchema: JsonSchema = {
  type: 'object',
  properties: { email: { type: 'string' }, accountId: { type: 'string' }, accountName: { type: 'string' }, domainId: { type: 'string' }, _id: { type: 'string' } },
  required: ['email', 'accountId', 'accountName', 'domainId', '_id'],
};

const INVITATION_FIELDS = 'id inviteeEmail organizationId organizationName';

interface InvitationNode {
  id: string;
  inviteeEmail: string | null;
  organizationId: string;
  organizationName: string;
}

const uuidOf = (globalId: string) => fromGlobalId(globalId)!.id;

function invitationBody(i: InvitationNode) {
  const accountId = uuidOf(i.organizationId);
  return { email: i.inviteeEmail, accountId, accountName: i.organizationName, domainId: accountId, _id: uuidOf(i.id) };
}

const account = (accountId: string) => toGlobalId('Organization', accountId.toLowerCase());

export const inviteRoutes: Route[] = [
  {
    method: 'GET',
    path: '/accounts/:accountId/invites',
    summary: 'Emails invited to the account (pending invitations; account administrators).',
    params: { type: 'object', properties: { accountId: uuid }, required: ['accountId'] },
    response: { type: 'array', items: { type: 'string' } },
    resource: 'Account',
    operation: `query oispAccountInvites($org: ID!) {
      organization(id: $org) { viewerCanManageMembers }
      invitations(filter: { organization: $org, status: PENDING }, first: 100) { nodes { inviteeEmail } }
    }`,
    variables: (r) => ({ org: account(r.params.accountId!) }),
    respond: (d) => {
      if (!d.organization) throw notFound('Account not found');
      if (!d.organization.viewerCanManageMembers) throw new DomainError('FORBIDDEN', 'Only account administrators list invitations');
      return { body: d.invitations.nodes.map((n: InvitationNode) => n.inviteeEmail).filter(Boolean) };
    },
  },
  {
    method: 'POST',
    path: '/accounts/:accountId/invites',
    summary: 'Invites an email to the account (account administrators); the invitee is told by email.',
    params: { type: 'object', properties: { accountId: uuid }, required: ['accountId'] },
    body: { type: 'object', properties: { email }, required: ['email'], additionalProperties: false },
    response: invitationSchema,
    resource: 'Account',
    operation: `mutation oispInvite($input: InviteToOrganizationInput!) {
      inviteToOrganization(input: $input) { invitation { ${INVITATION_FIELDS} } userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { organizationId: account(r.params.accountId!), email: r.body.email } }),
    respond: (d) => ({ body: invitationBody(d.inviteToOrganization.invitation) }),
  },
  {
    method: 'GET',
    path: '/invites/:email',
    summary: 'Pending invitations sent to this email (its owner, or administrators of the inviting accounts).',
    params: { type: 'object', properties: { email }, required: ['email'] },
    response: { type: 'array', items: invitationSchema },
    operation: `query oispInvitesOf($email: String!) {
      invitations(filter: { email: $email, status: PENDING }, first: 100) { nodes { ${INVITATION_FIELDS} } }
    }`,
    variables: (r) => ({ email: r.params.email }),
    respond: (d) => ({ body: d.invitations.nodes.map(invitationBody) }),
  },
  {
    method: 'PUT',
    path: '/invites/:inviteId/status',
    summary: 'Accepts (accept: true) or declines (accept: false) an invitation, as the invited user.',
    params: { type: 'object', properties: { inviteId: uuid }, required: ['inviteId'] },
    body: { type: 'object', properties: { accept: { type: 'boolean' } }, required: ['accept'], additionalProperties: false },
    response: invitationSchema,
    resource: 'Invitation',
    // One operation for both answers: the body's `accept` picks the field.
    operation: `mutation oispAnswer($id: ID!, $accept: Boolean!) {
      acceptInvitation(input: { id: $id }) @include(if: $accept) { invitation { ${INVITATION_FIELDS} } userErrors { code field message } }
      rejectInvitation(input: { id: $id }) @skip(if: $accept) { invitation { ${INVITATION_FIELDS} } userErrors { code field message } }
    }`,
    variables: (r) => ({ id: toGlobalId('Invitation', r.params.inviteId!.toLowerCase()), accept: r.body.accept }),
    respond: (d) => ({ body: invitationBody((d.acceptInvitation ?? d.rejectInvitation).invitation) }),
  },
  {
    method: 'DELETE',
    path: '/accounts/:accountId/invites/:email',
    summary: 'Withdraws the account’s pending invitations of this email (account administrators).',
    params: { type: 'object', properties: { accountId: uuid, email }, required: ['accountId', 'email'] },
    response: { type: 'object' },
    resource: 'Account',
    operation: `mutation oispRevoke($input: RevokeInvitationsForEmailInput!) {
      revokeInvitationsForEmail(input: $input) { revokedCount userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { organizationId: account(r.params.accountId!), email: r.params.email } }),
    // The platform answers 200 with no body.
    respond: () => ({ body: undefined }),
  },
];
