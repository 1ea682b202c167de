// twofa/: the caller's TOTP second factor (src/modules/users/totp.service.ts). Codes travel in
// the body as `otp`, the name admin/login documents.
//
// Choices where the document is silent (it documents statuses only):
// - status: 200 `{"enabled", "pending", "recovery_codes_left"}`.
// - set: 201 `{"status": "ok", "secret": <base32>, "uri": "otpauth://totp/…"}` (pending until confirm).
// - confirm / reset_recover_codes: 201 `{"status": "ok", "recovery_codes": [...]}`, shown once.
// - remove: 201 `{"status": "ok"}`; `otp` may be a code or an unused recovery code.
// - A wrong or reused code: 400 `{"otp": [...]}`; a step out of order (confirm before set,
//   set while enabled): 400 `{"otp": [...]}` too.
import { signedIn } from '../drf.js';
import type { Route } from '../types.js';
import { BASE, ok, statusOk, USER_ERRORS } from './common.js';

const otpBody = { type: 'object', properties: { otp: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['otp'] };
const codes = { type: 'object', properties: { status: { type: 'string', enum: ['ok'] }, recovery_codes: { type: 'array', items: { type: 'string' } } }, required: ['status', 'recovery_codes'] };

export const twofaRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/twofa/status/`,
    summary: 'statusTwoFA: whether your account has 2FA, and recovery codes left.',
    response: { type: 'object', properties: { enabled: { type: 'boolean' }, pending: { type: 'boolean' }, recovery_codes_left: { type: 'integer' } } },
    operation: `query sealdTwoFaStatus { viewer { twoFactor { enabled pending recoveryCodesLeft } } }`,
    variables: (r) => (signedIn(r), {}),
    respond: (d) => {
      const t = d.viewer.twoFactor;
      return { body: { enabled: t.enabled, pending: t.pending, recovery_codes_left: t.recoveryCodesLeft } };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/twofa/set/`,
    summary: 'setTwoFA: a new TOTP secret (base32) and its otpauth:// URI, pending until confirmed.',
    response: { type: 'object', properties: { status: { type: 'string' }, secret: { type: 'string' }, uri: { type: 'string' } }, required: ['status', 'secret', 'uri'] },
    status: 201,
    operation: `mutation sealdTwoFaSet { setUpTwoFactor { secret uri ${USER_ERRORS} } }`,
    variables: (r) => (signedIn(r), {}),
    respond: (d) => ok({ secret: d.setUpTwoFactor.secret, uri: d.setUpTwoFactor.uri }),
  },
  {
    method: 'POST',
    path: `${BASE}/twofa/confirm/`,
    summary: 'confirmTwoFA: a valid code enables 2FA; answers the recovery codes once.',
    body: otpBody,
    response: codes,
    status: 201,
    operation: `mutation sealdTwoFaConfirm($input: TwoFactorCodeInput!) { confirmTwoFactor(input: $input) { recoveryCodes ${USER_ERRORS} } }`,
    variables: (r) => (signedIn(r), { input: { otp: r.body.otp } }),
    respond: (d) => ok({ recovery_codes: d.confirmTwoFactor.recoveryCodes }),
  },
  {
    method: 'POST',
    path: `${BASE}/twofa/remove/`,
    summary: 'removeTwoFA: needs a valid code or an unused recovery code.',
    body: otpBody,
    response: statusOk,
    status: 201,
    operation: `mutation sealdTwoFaRemove($input: TwoFactorCodeInput!) { removeTwoFactor(input: $input) { twoFactor { enabled } ${USER_ERRORS} } }`,
    variables: (r) => (signedIn(r), { input: { otp: r.body.otp } }),
    respond: () => ok(),
  },
  {
    method: 'POST',
    path: `${BASE}/twofa/reset_recover_codes/`,
    summary: 'resetRecoverCodesTwoFA: needs a valid code; new single-use recovery codes, answered once (the old ones stop working).',
    body: otpBody,
    response: codes,
    status: 201,
    operation: `mutation sealdTwoFaResetCodes($input: TwoFactorCodeInput!) { resetTwoFactorRecoveryCodes(input: $input) { recoveryCodes ${USER_ERRORS} } }`,
    variables: (r) => (signedIn(r), { input: { otp: r.body.otp } }),
    respond: (d) => ok({ recovery_codes: d.resetTwoFactorRecoveryCodes.recoveryCodes }),
  },
];
