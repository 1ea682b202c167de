// Itsyouonline's two-factor methods of a user: which ones they have (`twofamethods`: TOTP and
// the validated phone numbers, SMS) and TOTP set-up and removal (`totp`), on the graph's one
// TOTP implementation (src/modules/users/totp.service.ts, RFC 6238 through otplib).
//
// Choices where the document is vague:
// - GET …/totp answers a fresh random secret every time (never stored, never the current one);
//   POST …/totp with that secret and a code of it enables TOTP, replacing any factor the user
//   had. A wrong code or a malformed secret is 422 `{error}`, like the SMS code of a phone.
//   The recovery codes the graph makes on enabling are not shown here (the document has none);
//   the graph's resetTwoFactorRecoveryCodes gives new ones.
// - DELETE …/totp is 409 when TOTP is enabled and the user has no validated phone number (the
//   document's "last available login method"); without TOTP it changes nothing (204).
// - Another user's `{username}` is 403 on the reads (as every iyo read) and 404 on the writes
//   (the TOTP service does not tell whether the user exists).
import { plainText } from '../schemas.js';
import type { Route } from '../types.js';
import { as422, OWNER_FIELDS, requireOwner, tokenQuery, usernameParams } from './common.js';

const phoneItem = { type: 'object', properties: { phonenumber: { type: 'string' }, label: { type: 'string' } }, required: ['phonenumber', 'label'] };

interface Phone {
  label: string | null;
  value: string;
  validatedAt: string | null;
}

export const twofaRoutes: Route[] = [
  {
    method: 'GET',
    path: '/users/:username/twofamethods',
    summary: 'The user’s second factors: whether TOTP is enabled, and the validated phone numbers (SMS).',
    params: usernameParams(),
    querystring: tokenQuery,
    response: { type: 'object', properties: { totp: { type: 'boolean' }, sms: { type: 'array', items: phoneItem } }, required: ['totp', 'sms'] },
    operation: `query iyo_twofamethods($username: String!) { ${OWNER_FIELDS} user(username: $username) { id twoFactor { enabled } phones { label value validatedAt } } }`,
    variables: (r) => ({ username: r.params.username }),
    respond: (d) => {
      const u = requireOwner<{ id: string; twoFactor: { enabled: boolean } | null; phones: Phone[] }>(d);
      const sms = u.phones.filter((p) => p.validatedAt != null).map((p) => ({ phonenumber: p.value, label: p.label ?? '' }));
      return { body: { totp: u.twoFactor?.enabled ?? false, sms } };
    },
  },
  {
    method: 'GET',
    path: '/users/:username/totp',
    summary: 'A fresh TOTP secret and issuer for setting up TOTP (not stored until POST …/totp).',
    params: usernameParams(),
    querystring: tokenQuery,
    response: { type: 'object', properties: { totpsecret: { type: 'string' }, totpissuer: { type: 'string' } }, required: ['totpsecret', 'totpissuer'] },
    operation: `query iyo_totp_secret($username: String!) { ${OWNER_FIELDS} user(username: $username) { id } newTwoFactorSecret { secret issuer } }`,
    variables: (r) => ({ username: r.params.username }),
    respond: (d) => {
      requireOwner(d);
      return { body: { totpsecret: d.newTwoFactorSecret.secret, totpissuer: d.newTwoFactorSecret.issuer } };
    },
  },
  {
    method: 'POST',
    path: '/users/:username/totp',
    summary: 'Enables TOTP with a secret and a code of it (204); a wrong code or a malformed secret is 422.',
    params: usernameParams(),
    querystring: tokenQuery,
    body: { type: 'object', properties: { totpcode: plainText(32, 1), totpsecret: plainText(256, 1) }, required: ['totpcode', 'totpsecret'] },
    status: 204,
    operation: `mutation iyo_totp_enable($input: EnableTwoFactorWithSecretInput!) { enableTwoFactorWithSecret(input: $input) { userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.params.username, secret: r.body.totpsecret, otp: r.body.totpcode } }),
    respond: () => ({ status: 204, body: undefined }),
    recover: as422('VALIDATION_FAILED'),
  },
  {
    method: 'DELETE',
    path: '/users/:username/totp',
    summary: 'Removes the user’s TOTP (204); 409 when it is their last second factor (no validated phone number).',
    params: usernameParams(),
    querystring: tokenQuery,
    status: 204,
    operation: `mutation iyo_totp_remove($input: UserTwoFactorInput!) { removeTwoFactorOf(input: $input) { userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.params.username } }),
    respond: () => ({ status: 204, body: undefined }),
  },
];
