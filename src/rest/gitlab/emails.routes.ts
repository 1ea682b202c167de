// GitLab's emails: the current user's and (admins) any user's. Email ids are Contact
// databaseIds. The list holds every active email of the user, the primary one included (this
// gateway keeps the primary address among the emails; GitLab listed only secondary ones), so
// DELETE of the primary one while others remain is refused (412, make another primary first).
//
// - Added emails are unvalidated: a code is sent to them (the gateway's rule; GitLab sent a
//   confirmation link).
// - DELETE /user/emails/:id is idempotent (200 `{}` when gone or not yours);
//   DELETE /users/:id/emails/:email_id is 404 when the user or the email is missing.
// - A taken address on creation is 400 `{"message": {"email": ["has already been taken"]}}`.
import { notFound, unauthenticated } from '../../core/errors.js';
import { toGlobalId } from '../../core/graphql/node.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { conflictAs400, emailSchema, idempotent, idParams, requireAdmin, requireViewer, tokenQuery, toInt } from './common.js';

interface EmailNode {
  databaseId: number;
  value: string;
}

const EMAIL_FIELDS = 'databaseId value';
const emailBody = (c: EmailNode) => ({ id: c.databaseId, email: c.value });
const emailObject: JsonSchema = { type: 'object', properties: { id: { type: 'integer' }, email: { type: 'string' } }, required: ['id', 'email'] };
const newEmailBody: JsonSchema = { type: 'object', properties: { email: emailSchema }, required: ['email'] };
const emailConflict = conflictAs400(() => ['email']);
const me = (r: RestRequest) => {
  if (r.principal.kind !== 'user') throw unauthenticated();
  return toGlobalId('User', r.principal.userId);
};

export const emailRoutes: Route[] = [
  {
    method: 'GET',
    path: '/user/emails',
    summary: 'Your email addresses.',
    querystring: tokenQuery,
    response: { type: 'array', items: emailObject },
    operation: `query gitlabMyEmails { viewer { emails { ${EMAIL_FIELDS} } } }`,
    respond: (d) => ({ body: requireViewer(d.viewer).emails.map(emailBody) }),
  },
  {
    method: 'GET',
    path: '/users/:id/emails',
    summary: 'A user’s email addresses (admins).',
    params: idParams('id'),
    querystring: tokenQuery,
    response: { type: 'array', items: emailObject },
    resource: 'User',
    operation: `query gitlabUserEmails($id: Int!) { viewer { isAdmin } user(databaseId: $id) { emails { ${EMAIL_FIELDS} } } }`,
    variables: (r) => ({ id: toInt(r.params.id) }),
    respond: (d) => {
      requireAdmin(d.viewer);
      if (!d.user) throw notFound('User not found');
      return { body: d.user.emails.map(emailBody) };
    },
  },
  {
    method: 'GET',
    path: '/user/emails/:id',
    summary: 'One of your email addresses.',
    params: idParams('id'),
    querystring: tokenQuery,
    response: emailObject,
    resource: 'Email',
    operation: `query gitlabMyEmail { viewer { emails { ${EMAIL_FIELDS} } } }`,
    respond: (d, r) => {
      const id = toInt(r.params.id);
      const found = (requireViewer(d.viewer).emails as EmailNode[]).find((c) => c.databaseId === id);
      if (!found) throw notFound('Email not found');
      return { body: emailBody(found) };
    },
  },
  {
    method: 'POST',
    path: '/user/emails',
    summary: 'Adds an email address to your account (201); a validation code is sent to it.',
    querystring: tokenQuery,
    body: newEmailBody,
    response: emailObject,
    status: 201,
    resource: 'Email',
    operation: `mutation gitlabAddMyEmail($input: AddEmailInput!) {
      addEmail(input: $input) { contact { ${EMAIL_FIELDS} } userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { email: r.body.email } }),
    respond: (d) => ({ body: emailBody(d.addEmail.contact) }),
    recover: emailConflict,
  },
  {
    method: 'POST',
    path: '/users/:id/emails',
    summary: 'Adds an email address to a user (admins; 201).',
    params: idParams('id'),
    querystring: tokenQuery,
    body: newEmailBody,
    response: emailObject,
    status: 201,
    resource: 'User',
    operation: `mutation gitlabAddUserEmail($input: AddEmailInput!) {
      addEmail(input: $input) { contact { ${EMAIL_FIELDS} } userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { userDatabaseId: toInt(r.params.id), email: r.body.email } }),
    respond: (d) => ({ body: emailBody(d.addEmail.contact) }),
    recover: emailConflict,
  },
  {
    method: 'DELETE',
    path: '/user/emails/:id',
    summary: 'Removes one of your email addresses. Idempotent: 200 also when it is gone.',
    params: idParams('id'),
    querystring: tokenQuery,
    response: { type: 'object' },
    resource: 'Email',
    operation: `mutation gitlabRemoveMyEmail($input: ContactIdInput!) {
      removeEmail(input: $input) { deletedId userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { databaseId: toInt(r.params.id), userId: me(r) } }),
    respond: () => ({ body: {} }),
    recover: (e, r) => (r.principal.kind === 'user' ? idempotent(e) : undefined),
  },
  {
    method: 'DELETE',
    path: '/users/:id/emails/:email_id',
    summary: 'Removes a user’s email address (admins); 404 when the user or the email is missing.',
    params: idParams('id', 'email_id'),
    querystring: tokenQuery,
    response: { type: 'object' },
    resource: 'Email',
    operation: `mutation gitlabRemoveUserEmail($input: ContactIdInput!) {
      removeEmail(input: $input) { deletedId userErrors { code field message } }
    }`,
    variables: (r) => ({ input: { databaseId: toInt(r.params.email_id), userDatabaseId: toInt(r.params.id) } }),
    respond: () => ({ body: {} }),
  },
];
