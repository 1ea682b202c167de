// The one rule for each common identifier (email, E.164 phone, uuid, slug, username), shared by
// the GraphQL services and the REST dialects' JSON schemas: services call the is…() checks, route
// schemas embed the exported pattern source and maximum length, so a value is valid through
// every entrance or through none. Each pattern source is compiled here with the "u" flag, as
// Ajv (fastify's request validator) compiles a schema's `pattern`, so both read it alike.
//
// Every rule refuses control characters (NUL cannot be stored in a PostgreSQL text column) and
// lone UTF-16 surrogates (they cannot be encoded as UTF-8), and checks the length before the
// pattern. The patterns have no nested quantifiers: matching time is linear in the input.

/** Characters no identifier may hold: whitespace, C0 controls, DEL, lone surrogates (in "u" mode). */
const EXCLUDED = '\\s\\x00-\\x1f\\x7f\\ud800-\\udfff';

/** RFC 5321's bound on a forward path; the local part is at most 64 characters. */
export const EMAIL_MAX_LENGTH = 254;
/** An address: a local part, "@", a domain, without whitespace, controls or a second "@". Deliberately loose (no TLD required: "admin@localhost" is valid); the address is proven by whoever receives the message. */
export const EMAIL_PATTERN_SOURCE = `^[^@${EXCLUDED}]{1,64}@[^@${EXCLUDED}]{1,253}$`;
const EMAIL = new RegExp(EMAIL_PATTERN_SOURCE, 'u');

/** Whether `value` is an email address (give it trimmed: surrounding spaces are refused). */
export function isEmail(value: string): boolean {
  return value.length <= EMAIL_MAX_LENGTH && EMAIL.test(value);
}

/** E.164: "+", a country code that does not start with 0, at most 15 digits in all (at least 7). */
export const PHONE_PATTERN_SOURCE = '^\\+[1-9][0-9]{6,14}$';
export const PHONE_MAX_LENGTH = 16;
const PHONE = new RegExp(PHONE_PATTERN_SOURCE, 'u');

/** Whether `value` is a phone number in E.164 form (normalise first: see normalizePhone). */
export function isE164Phone(value: string): boolean {
  return value.length <= PHONE_MAX_LENGTH && PHONE.test(value);
}

/** Separators people write in phone numbers: spaces, dots, hyphens, parentheses. */
const PHONE_SEPARATORS = /[\s().-]/g;
/** Input longer than this is refused before normalising (no number written with separators is longer). */
const PHONE_INPUT_MAX_LENGTH = 64;

/**
 * A phone number as written by a person, in the form isE164Phone checks: separators removed.
 * With `plusOptional` (invitations, whose legacy accounts dialect takes "digits, optional leading
 * +"), a number of digits only is read as an international number written without its "+" and
 * gets one, so the stored value is E.164 and matches the user's validated phone contact; a
 * national number (leading 0) still fails the check. Oversized input comes back unchanged (and
 * so fails the check).
 */
export function normalizePhone(value: string, options: { plusOptional?: boolean } = {}): string {
  if (value.length > PHONE_INPUT_MAX_LENGTH) return value;
  const compact = value.replace(PHONE_SEPARATORS, '');
  return options.plusOptional && /^[0-9]+$/.test(compact) ? `+${compact}` : compact;
}

/** A uuid in its 8-4-4-4-12 hex form, either case. */
export const UUID_PATTERN_SOURCE = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const UUID_LENGTH = 36;
const UUID = new RegExp(UUID_PATTERN_SOURCE, 'u');

export function isUuid(value: string): boolean {
  return value.length === UUID_LENGTH && UUID.test(value);
}

/** An organization's slug: letters, digits, "-", "_" and ".", 1 to 64 of them. */
export const SLUG_PATTERN_SOURCE = '^[-a-zA-Z0-9_.]+$';
export const SLUG_MAX_LENGTH = 64;
const SLUG = new RegExp(SLUG_PATTERN_SOURCE, 'u');

export function isSlug(value: string): boolean {
  return value.length >= 1 && value.length <= SLUG_MAX_LENGTH && SLUG.test(value);
}

/** A username: letters, digits, "_", "." and "-", starting with a letter, digit or "_"; 1 to 255. */
export const USERNAME_PATTERN_SOURCE = '^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$';
export const USERNAME_MAX_LENGTH = 255;
const USERNAME = new RegExp(USERNAME_PATTERN_SOURCE, 'u');

export function isUsername(value: string): boolean {
  return value.length >= 1 && value.length <= USERNAME_MAX_LENGTH && USERNAME.test(value);
}

/** An Itsyouonline label (emails, phones, addresses, banks, wallet, keys, API keys, avatars): 2 to 50 letters, digits, "-", "_" or whitespace. */
export const LABEL_PATTERN_SOURCE = '^[a-zA-Z\\d\\-_\\s]{2,50}$';
export const LABEL_MAX_LENGTH = 50;
const LABEL = new RegExp(LABEL_PATTERN_SOURCE, 'u');

export function isLabel(value: string): boolean {
  return value.length >= 2 && value.length <= LABEL_MAX_LENGTH && LABEL.test(value);
}

/** An Itsyouonline username: 2 to 30 lower-case letters and digits (stricter than USERNAME: every such name is also a valid username). */
export const IYO_USERNAME_PATTERN_SOURCE = '^[a-z0-9]{2,30}$';
export const IYO_USERNAME_MAX_LENGTH = 30;
const IYO_USERNAME = new RegExp(IYO_USERNAME_PATTERN_SOURCE, 'u');

export function isIyoUsername(value: string): boolean {
  return value.length >= 2 && value.length <= IYO_USERNAME_MAX_LENGTH && IYO_USERNAME.test(value);
}

/** Free text that can be stored and encoded: no NUL (PostgreSQL text refuses it) and no lone UTF-16 surrogates. */
export const PLAIN_TEXT_PATTERN_SOURCE = '^[^\\x00\\ud800-\\udfff]*$';
const PLAIN_TEXT = new RegExp(PLAIN_TEXT_PATTERN_SOURCE, 'u');

export function isPlainText(value: string): boolean {
  return PLAIN_TEXT.test(value);
}
