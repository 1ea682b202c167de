// admin/: the dashboard's password sign-in (a session cookie), its status and logout, the
// password (change, mailed reset) and the team's SSKS API key.
//
// Choices where the document is silent:
// - `status` answers `{"status": "ok", "user": {id, email}, "team": {id, name}}` for a caller
//   with a team (any credential of the dialect), 401 without credentials.
// - `login` answers 201 `{"status": "ok"}` with the session cookie; wrong email or password:
//   400 `{"non_field_errors": [...]}`; a missing or wrong `otp` when the account has 2FA:
//   400 `{"otp": [...]}`. The session is bound to the first team the user administers.
// - `logout` ends the session it is called with (other sessions and API keys stay) and clears
//   the cookie; called with an API key it is 400.
// - update_password ends the user's other dashboard sessions; forgot_password's last step ends
//   all of them (API keys stay: they are the team's, revoked in apitokens/).
// - `generate_ssks_apikey` answers `{"status": "ok", "api_key": "…"}`: the key is shown once.
import { emailString } from '../schemas.js';
import { signedIn, uuidOf } from '../drf.js';
import type { RestRequest, Route, RouteResponse } from '../types.js';
import { BASE, ok, SESSION_COOKIE, statusOk, USER_ERRORS } from './common.js';

const password = { type: 'string', minLength: 1, maxLength: 1024 };
const newPassword = { type: 'string', minLength: 8, maxLength: 1024 };

/** The cookie's attributes: Secure when the request came over https (directly or, with TRUST_PROXY, per X-Forwarded-Proto). */
function cookie(r: RestRequest, value: string, maxAgeSeconds: number): string {
  const secure = r.url.protocol === 'https:' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=${BASE}/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

const withCookie = (res: RouteResponse, setCookie: string): RouteResponse => ({ ...res, headers: { 'set-cookie': setCookie } });

export const adminRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/admin/status/`,
    summary: 'Check dashboardapi session status: who you are and your team.',
    response: { type: 'object', properties: { status: { type: 'string' }, user: { type: 'object' }, team: { type: 'object' } } },
    operation: `query sealdStatus { viewer { id email } dashboardTeam { id name } }`,
    variables: (r) => (signedIn(r), {}),
    respond: (d) => ({
      body: { status: 'ok', user: d.viewer && { id: uuidOf(d.viewer.id), email: d.viewer.email }, team: d.dashboardTeam && { id: uuidOf(d.dashboardTeam.id), name: d.dashboardTeam.name } },
    }),
  },
  {
    method: 'POST',
    path: `${BASE}/admin/login/`,
    // Signing in is what a caller without a credential does.
    public: true,
    summary: 'Login an HTTP session to the dashboardapi (sets the session cookie). `otp` is required when the account has 2FA.',
    body: { type: 'object', properties: { email: emailString, password, otp: { type: 'string', maxLength: 64 } }, required: ['email', 'password'] },
    response: statusOk,
    status: 201,
    operation: `mutation sealdLogin($input: DashboardLoginInput!) { dashboardLogin(input: $input) { sessionToken expiresAt ${USER_ERRORS} } }`,
    variables: (r) => ({ input: { email: r.body.email, password: r.body.password, otp: r.body.otp || null } }),
    respond: (d, r) => {
      const s = d.dashboardLogin;
      const maxAge = Math.max(0, Math.floor((new Date(s.expiresAt).getTime() - Date.now()) / 1000));
      return withCookie(ok(), cookie(r, s.sessionToken, maxAge));
    },
  },
  {
    method: 'POST',
    path: `${BASE}/admin/logout/`,
    summary: 'Logout from an HTTP session (only the session called with; the cookie is cleared).',
    response: statusOk,
    status: 201,
    operation: `mutation sealdLogout { dashboardLogout { ok ${USER_ERRORS} } }`,
    variables: (r) => (signedIn(r), {}),
    respond: (_d, r) => withCookie(ok(), cookie(r, '', 0)),
  },
  {
    method: 'POST',
    path: `${BASE}/admin/update_password/`,
    summary: 'Set up a new password (the current one required).',
    body: { type: 'object', properties: { old_password: password, new_password: newPassword }, required: ['old_password', 'new_password'] },
    response: statusOk,
    status: 201,
    operation: `mutation sealdUpdatePassword($input: ChangePasswordInput!) { changeDashboardPassword(input: $input) { ok ${USER_ERRORS} } }`,
    variables: (r) => (signedIn(r), { input: { currentPassword: r.body.old_password, newPassword: r.body.new_password } }),
    respond: () => ok(),
  },
  {
    method: 'POST',
    path: `${BASE}/admin/forgot_password/`,
    // For whoever lost their password: no credential (the same answer whether the email exists).
    public: true,
    summary:
      'Send a password retrieval request: without `challenge`, mail a challenge to `email`; with `challenge` only, check it; with both `challenge` and `new_password`, change the password. The first step answers the same whether or not the email exists.',
    body: { type: 'object', properties: { email: emailString, challenge: { type: 'string', minLength: 1, maxLength: 128 }, new_password: newPassword }, required: ['email'] },
    response: statusOk,
    status: 201,
    operation: `mutation sealdForgotPassword($input: ResetPasswordInput!) { resetPassword(input: $input) { ok ${USER_ERRORS} } }`,
    variables: (r) => ({ input: { email: r.body.email, challenge: r.body.challenge ?? null, newPassword: r.body.new_password ?? null } }),
    respond: () => ok(),
  },
  {
    method: 'POST',
    path: `${BASE}/admin/generate_ssks_apikey/`,
    summary: 'Generate a SSKS API Key for the team; answered once in `api_key` (stored hashed).',
    response: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] }, api_key: { type: 'string' } }, required: ['status', 'api_key'] },
    status: 201,
    operation: `mutation sealdGenerateSsksApiKey { generateSsksApiKey { apiKey ${USER_ERRORS} } }`,
    variables: (r) => (signedIn(r), {}),
    respond: (d) => ok({ api_key: d.generateSsksApiKey.apiKey }),
  },
];
