// invitedemails/: the team's email invitations — the graph's one invitation model (email
// invitations of the team's organization) — and its licences.
//
// Choices where the document is silent:
// - `state`: "0" pending, "1" used (accepted), "2" disabled (revoked, rejected or expired);
//   `?state=` filters 0 pending, 1 accepted, 2 revoked. `invited_by` is the inviter's username.
// - create takes `email` only (the other documented fields are the answer's and are ignored);
//   it uses a licence: with none left, 400 `{"email": [...]}`. An address already pending: 400.
// - licences: 200 `{"used", "available", "total"}`; a team's licences are its organization's
//   quota limit (`total`/`available` null: unlimited). Used: email invitations pending or accepted.
// - disable: revokes the address's pending invitations (a used one stays used); 201 even when
//   there were none (idempotent).
import { emailString } from '../schemas.js';
import { envelope, pageOf, pageOfRequest, pageQuery } from '../drf.js';
import type { JsonSchema, Route } from '../types.js';
import { administeredTeam, BASE, ok, statusOk, teamOf, USER_ERRORS } from './common.js';

const STATE_FILTER: Record<string, string> = { '0': 'PENDING', '1': 'ACCEPTED', '2': 'REVOKED' };
const STATE_OF: Record<string, string> = { PENDING: '0', ACCEPTED: '1' };

const invitedSchema: JsonSchema = {
  type: 'object',
  properties: {
    email: { type: 'string', format: 'email' },
    state: { type: 'string', enum: ['0', '1', '2'] },
    invited_by: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
    used_at: { type: ['string', 'null'], format: 'date-time' },
    disabled_at: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['email', 'state', 'invited_by', 'created_at', 'used_at', 'disabled_at'],
};

const INVITATION_FIELDS = 'inviteeEmail status createdAt acceptedAt revokedAt declinedAt validUntil invitedBy { username }';

interface InvitationNode {
  inviteeEmail: string;
  status: string;
  createdAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
  declinedAt: string | null;
  validUntil: string;
  invitedBy: { username: string } | null;
}

const invitedBody = (i: InvitationNode) => ({
  email: i.inviteeEmail,
  state: STATE_OF[i.status] ?? '2',
  invited_by: i.invitedBy?.username ?? null,
  created_at: i.createdAt,
  used_at: i.acceptedAt,
  disabled_at: i.revokedAt ?? i.declinedAt ?? (i.status === 'EXPIRED' ? i.validUntil : null),
});

export const invitedEmailRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/invitedemails/`,
    summary: 'list invitedemails of the team, newest first; `state` 0 pending, 1 used, 2 disabled.',
    querystring: { type: 'object', properties: { ...pageQuery, state: { enum: [0, 1, 2, '0', '1', '2'] }, email: emailString } },
    response: pageOf(invitedSchema),
    operation: `query sealdInvitedEmails($first: Int!, $offset: Int!, $filter: InvitationFilterInput) {
      dashboardTeam { id }
      invitations(first: $first, offset: $offset, filter: $filter) { totalCount nodes { ${INVITATION_FIELDS} } }
    }`,
    variables: (r) => {
      const organizationId = teamOf(r);
      const p = pageOfRequest(r);
      const state = r.query.state === undefined ? null : STATE_FILTER[String(r.query.state)];
      return { first: p.size, offset: p.offset, filter: { organization: organizationId, email: (r.query.email as string | undefined) ?? null, status: state, emailsOnly: true } };
    },
    respond: (d, r) => (administeredTeam(d.dashboardTeam), { body: envelope(r, pageOfRequest(r), d.invitations.totalCount, d.invitations.nodes.map(invitedBody)) }),
  },
  {
    method: 'POST',
    path: `${BASE}/invitedemails/`,
    summary: 'create invitedemails: invites the email to the team (one licence); the invitation is mailed through the outbox.',
    body: { type: 'object', properties: { email: emailString }, required: ['email'] },
    response: invitedSchema,
    status: 201,
    operation: `mutation sealdInviteEmail($input: InviteTeamEmailInput!) { inviteTeamEmail(input: $input) { invitation { ${INVITATION_FIELDS} } ${USER_ERRORS} } }`,
    variables: (r) => (teamOf(r), { input: { email: r.body.email } }),
    respond: (d) => ({ status: 201, body: invitedBody(d.inviteTeamEmail.invitation) }),
  },
  {
    method: 'GET',
    path: `${BASE}/invitedemails/licences/`,
    summary: 'licences invitedemails: licences used and available (null: unlimited).',
    response: { type: 'object', properties: { used: { type: 'integer' }, available: { type: ['integer', 'null'] }, total: { type: ['integer', 'null'] } }, required: ['used', 'available', 'total'] },
    operation: `query sealdLicences { dashboardTeam { licences { used available total } } }`,
    variables: (r) => (teamOf(r), {}),
    respond: (d) => {
      const l = administeredTeam(d.dashboardTeam).licences;
      return { body: { used: l.used, available: l.available, total: l.total } };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/invitedemails/disable/`,
    summary: 'disable invitedemails: revokes the address’s pending invitations to the team (frees their licences).',
    body: { type: 'object', properties: { email: emailString }, required: ['email'] },
    response: statusOk,
    status: 201,
    operation: `mutation sealdDisableInvitedEmail($input: RevokeInvitationsForEmailInput!) { revokeInvitationsForEmail(input: $input) { revokedCount ${USER_ERRORS} } }`,
    variables: (r) => ({ input: { organizationId: teamOf(r), email: r.body.email } }),
    respond: () => ok(),
  },
];
