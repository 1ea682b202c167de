// JSON Schemas of the shared identifiers (email, uuid, slug, username), for every dialect's
// route tables: built from core/validation.ts's pattern sources and lengths, so a request the
// route schema lets through is one the service accepts, and the reverse. A dialect adds its own
// minLength where its error words depend on it (DRF's "may not be blank").
import { EMAIL_MAX_LENGTH, EMAIL_PATTERN_SOURCE, IYO_USERNAME_MAX_LENGTH, IYO_USERNAME_PATTERN_SOURCE, LABEL_MAX_LENGTH, LABEL_PATTERN_SOURCE, PLAIN_TEXT_PATTERN_SOURCE, SLUG_MAX_LENGTH, SLUG_PATTERN_SOURCE, USERNAME_MAX_LENGTH, USERNAME_PATTERN_SOURCE, UUID_PATTERN_SOURCE } from '../core/validation.js';
import type { JsonSchema } from './types.js';

export const emailString: JsonSchema = { type: 'string', maxLength: EMAIL_MAX_LENGTH, pattern: EMAIL_PATTERN_SOURCE };
export const uuidString: JsonSchema = { type: 'string', pattern: UUID_PATTERN_SOURCE };
export const slugString: JsonSchema = { type: 'string', minLength: 1, maxLength: SLUG_MAX_LENGTH, pattern: SLUG_PATTERN_SOURCE };
export const usernameString: JsonSchema = { type: 'string', minLength: 1, maxLength: USERNAME_MAX_LENGTH, pattern: USERNAME_PATTERN_SOURCE };
export const labelString: JsonSchema = { type: 'string', minLength: 2, maxLength: LABEL_MAX_LENGTH, pattern: LABEL_PATTERN_SOURCE };
export const iyoUsernameString: JsonSchema = { type: 'string', minLength: 2, maxLength: IYO_USERNAME_MAX_LENGTH, pattern: IYO_USERNAME_PATTERN_SOURCE };
/** Free text of at most `max` characters that can be stored (no NUL, no lone surrogates). */
export const plainText = (max: number, min = 0): JsonSchema => ({ type: 'string', minLength: min, maxLength: max, pattern: PLAIN_TEXT_PATTERN_SOURCE });
