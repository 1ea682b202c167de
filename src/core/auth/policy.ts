// The one typed list of actions and who may take them. `can` answers visibility questions
// (fields resolve to null when it says no); `assert` guards writes. Organization roles join
// this list with the core graph.
import { DomainError } from '../errors.js';
import { isUser, type Principal } from './principal.js';

export type Action =
  /** See a user's private fields: emails, sign-in times, tokens. */
  | 'user:readPrivate'
  | 'personalAccessToken:create'
  | 'personalAccessToken:revoke';

export interface Resource {
  /** The user the action is about (the token's owner, the profile's user). */
  userId?: string;
}

export function can(p: Principal, action: Action, r: Resource = {}): boolean {
  if (!isUser(p)) return false;
  if (p.isInstanceAdmin) return true;
  switch (action) {
    case 'user:readPrivate':
    case 'personalAccessToken:create':
    case 'personalAccessToken:revoke':
      return r.userId === p.userId;
  }
}

/** Throws UNAUTHENTICATED for anonymous callers and FORBIDDEN otherwise. */
export function assertCan(p: Principal, action: Action, r: Resource = {}, message?: string): asserts p is Extract<Principal, { kind: 'user' }> {
  if (!isUser(p)) throw new DomainError('UNAUTHENTICATED');
  if (!can(p, action, r)) throw new DomainError('FORBIDDEN', message);
}
