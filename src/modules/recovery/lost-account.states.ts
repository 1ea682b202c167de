// The lost-account recovery as a state machine: the one table of which action moves which state
// to which. Seald documents the states 0–6 without naming them; these are the names and the
// order of the flow a team admin runs for a user who lost every device:
//
//   state                  how it is reached
//   0 OPEN                 createLostAccount (the user's new installation made its key pair)
//   1 DEVICE_CREATED       create_device: the new device exists with the account's public keys
//   2 SIGCHAIN_VALIDATED   validate_sigchain: the transaction adding the device is on the chain
//   3 KEYS_PARTIAL         POST missing_encrypted_message_keys, messages still lack a key
//   4 RECOVERED            POST missing_encrypted_message_keys, no message lacks a key (closed)
//   5 CANCELLED            DELETE: the recovery is abandoned; its device is revoked (closed)
//   6 SUPERSEDED           a newer recovery was opened for the same user in the team (closed)
//
// Any action in a state it does not start from is refused (400 `{"state": [...]}` in the seald
// dialect, PRECONDITION_FAILED in the graph); closed recoveries stay listed as history.
import { DomainError } from '../../core/errors.js';

export const LostAccountState = {
  OPEN: 0,
  DEVICE_CREATED: 1,
  SIGCHAIN_VALIDATED: 2,
  KEYS_PARTIAL: 3,
  RECOVERED: 4,
  CANCELLED: 5,
  SUPERSEDED: 6,
} as const;
export type LostAccountStateValue = (typeof LostAccountState)[keyof typeof LostAccountState];

export const LOST_ACCOUNT_STATES: readonly number[] = Object.values(LostAccountState);
export const STATE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(LostAccountState).map(([k, v]) => [v, k]));

const S = LostAccountState;
/** The states a recovery is still open in. */
export const OPEN_STATES: readonly number[] = [S.OPEN, S.DEVICE_CREATED, S.SIGCHAIN_VALIDATED, S.KEYS_PARTIAL];

/** action → the states it may start from, and where it leads (`keys` leads to 3 or 4 by what remains). */
export const TRANSITIONS = {
  createDevice: { from: [S.OPEN], to: [S.DEVICE_CREATED] },
  validateSigchain: { from: [S.DEVICE_CREATED], to: [S.SIGCHAIN_VALIDATED] },
  readMissingKeys: { from: [S.SIGCHAIN_VALIDATED, S.KEYS_PARTIAL], to: [] },
  addMissingKeys: { from: [S.SIGCHAIN_VALIDATED, S.KEYS_PARTIAL], to: [S.KEYS_PARTIAL, S.RECOVERED] },
  cancel: { from: OPEN_STATES, to: [S.CANCELLED] },
  supersede: { from: OPEN_STATES, to: [S.SUPERSEDED] },
} as const satisfies Record<string, { from: readonly number[]; to: readonly number[] }>;
export type LostAccountAction = keyof typeof TRANSITIONS;

/** Refuses `action` unless the recovery is in one of the states it starts from. */
export function assertTransition(action: LostAccountAction, state: number): void {
  const from = TRANSITIONS[action].from as readonly number[];
  if (!from.includes(state)) {
    throw new DomainError('PRECONDITION_FAILED', `This action needs the lost account in state ${from.join(' or ')}; it is in state ${state} (${STATE_NAMES[state] ?? '?'}).`, 'state');
  }
}
