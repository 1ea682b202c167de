// core/validation.ts: one rule per identifier, read alike by the services (is…()) and by the
// REST route schemas (the pattern sources, compiled by fastify's ajv builder). Every table row
// is checked through both, so the two entrances cannot drift apart.
import AjvCompiler from '@fastify/ajv-compiler';
import { describe, expect, it } from 'vitest';
import {
  PHONE_MAX_LENGTH,
  PHONE_PATTERN_SOURCE,
  isE164Phone,
  isEmail,
  isSlug,
  isUsername,
  isUuid,
  normalizePhone,
} from '../src/core/validation.js';
import { emailString, slugString, usernameString, uuidString } from '../src/rest/schemas.js';
import type { JsonSchema } from '../src/rest/types.js';

// What fastify passes when its `ajv` option is left unset.
const compile = AjvCompiler()({}, { customOptions: {}, plugins: [] });
/** The route-schema check of one value, as fastify runs it on a request body. */
function viaRouteSchema(schema: JsonSchema): (value: string) => boolean {
  const validate = compile({ schema: { type: 'object', properties: { v: schema }, required: ['v'] }, method: 'POST', url: '/t', httpPart: 'body' });
  return (value) => validate({ v: value }) === true;
}

const NUL = '\u0000';
const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';
const EMOJI = '\u{1F600}';

type Table = [value: string, valid: boolean, why: string][];

const cases: { name: string; check: (v: string) => boolean; schema: JsonSchema; table: Table }[] = [
  {
    name: 'email',
    check: isEmail,
    schema: emailString,
    table: [
      ['a@b', true, 'shortest; no TLD needed'],
      ['admin@localhost', true, 'the documented default admin address'],
      ['Grace.Hopper+tag@example.com', true, 'plus addressing, capitals'],
      [`${EMOJI}@example.com`, true, 'a paired surrogate is one character'],
      [`${'x'.repeat(64)}@example.com`, true, 'local part of 64'],
      [`${'x'.repeat(65)}@example.com`, false, 'local part over 64'],
      [`a@${'d'.repeat(252)}`, true, '254 in all'],
      [`ab@${'d'.repeat(252)}`, false, '255 in all'],
      ['x'.repeat(100_000), false, 'oversized, no @'],
      ['', false, 'empty'],
      ['@example.com', false, 'no local part'],
      ['a@', false, 'no domain'],
      ['a@b@c', false, 'two @'],
      ['a b@example.com', false, 'space'],
      [' a@example.com', false, 'not trimmed'],
      ['a@example.com\n', false, 'trailing newline'],
      [`a${NUL}@example.com`, false, 'NUL'],
      [`a\u0007@example.com`, false, 'a control character'],
      [`a\u007f@example.com`, false, 'DEL'],
      [`a${LONE_HIGH}@example.com`, false, 'lone high surrogate'],
      [`a@example.com${LONE_LOW}`, false, 'lone low surrogate'],
    ],
  },
  {
    name: 'E.164 phone',
    check: isE164Phone,
    schema: { type: 'string', maxLength: PHONE_MAX_LENGTH, pattern: PHONE_PATTERN_SOURCE },
    table: [
      ['+32475123456', true, 'Belgian mobile'],
      ['+1234567', true, '7 digits, the fewest'],
      ['+123456', false, '6 digits'],
      ['+123456789012345', true, '15 digits, the most'],
      ['+1234567890123456', false, '16 digits'],
      ['+0475123456', false, 'country code starting with 0'],
      ['32475123456', false, 'no "+"'],
      ['+32 475 12 34 56', false, 'separators (normalise first)'],
      ['+32475123456\n', false, 'trailing newline'],
      [`+32475${NUL}123456`, false, 'NUL'],
      [`+32475123456${LONE_HIGH}`, false, 'lone surrogate'],
      ['+٣٢٤٧٥١٢٣٤٥٦', false, 'non-ASCII digits'],
      ['', false, 'empty'],
      ['+'.padEnd(10_000, '1'), false, 'oversized'],
    ],
  },
  {
    name: 'uuid',
    check: isUuid,
    schema: uuidString,
    table: [
      ['0b9d3c4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e', true, 'lower case'],
      ['0B9D3C4E-5F6A-4B7C-8D9E-0F1A2B3C4D5E', true, 'upper case'],
      ['0b9d3c4e5f6a4b7c8d9e0f1a2b3c4d5e', false, 'no hyphens'],
      ['{0b9d3c4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e}', false, 'braces'],
      ['0b9d3c4e-5f6a-4b7c-8d9e-0f1a2b3c4d5g', false, 'not hex'],
      ['0b9d3c4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e\n', false, 'trailing newline'],
      [`0b9d3c4e-5f6a-4b7c-8d9e-0f1a2b3c4d5${NUL}`, false, 'NUL'],
      [`0b9d3c4e-5f6a-4b7c-8d9e-0f1a2b3c4d5${LONE_HIGH}`, false, 'lone surrogate'],
      ["1' OR '1'='1", false, 'SQL'],
      ['', false, 'empty'],
    ],
  },
  {
    name: 'slug',
    check: isSlug,
    schema: slugString,
    table: [
      ['acme', true, 'plain'],
      ['Acme_Corp-2.0', true, 'every allowed character'],
      ['-', true, 'a lone hyphen'],
      ['x'.repeat(64), true, '64'],
      ['x'.repeat(65), false, '65'],
      ['', false, 'empty'],
      ['acme corp', false, 'space'],
      ['acme/corp', false, 'slash'],
      ['café', false, 'non-ASCII letter'],
      [`acme${NUL}`, false, 'NUL'],
      [`acme${LONE_LOW}`, false, 'lone surrogate'],
    ],
  },
  {
    name: 'username',
    check: isUsername,
    schema: usernameString,
    table: [
      ['alice', true, 'plain'],
      ['_bot.v2-x', true, 'leading underscore, dot, hyphen'],
      ['0', true, 'one digit'],
      ['x'.repeat(255), true, '255'],
      ['x'.repeat(256), false, '256'],
      ['', false, 'empty'],
      ['.alice', false, 'leading dot'],
      ['-alice', false, 'leading hyphen'],
      ['alice smith', false, 'space'],
      ['alice@example.com', false, '@'],
      ['alice\n', false, 'trailing newline'],
      [`alice${NUL}`, false, 'NUL'],
      [`alice${LONE_HIGH}`, false, 'lone surrogate'],
    ],
  },
];

describe('core/validation', () => {
  for (const { name, check, schema, table } of cases) {
    describe(name, () => {
      const routeSchema = viaRouteSchema(schema);
      it.each(table)('%j → %s (%s)', (value, valid) => {
        expect(check(value)).toBe(valid);
        // The REST route schema built from the same source agrees.
        expect(routeSchema(value)).toBe(valid);
      });
    });
  }

  describe('normalizePhone', () => {
    it.each([
      ['+32 475 12-34-56', {}, '+32475123456', true],
      ['+1 (555) 010.9999', {}, '+15550109999', true],
      ['32475123456', {}, '32475123456', false],
      ['32475123456', { plusOptional: true }, '+32475123456', true],
      ['1 (555) 010-9999', { plusOptional: true }, '+15550109999', true],
      // A national number stays one: it cannot be made international without its country.
      ['0475 12 34 56', { plusOptional: true }, '+0475123456', false],
      ['+32475123456', { plusOptional: true }, '+32475123456', true],
      ['abc', { plusOptional: true }, 'abc', false],
      [`+32475${NUL}123456`, { plusOptional: true }, `+32475${NUL}123456`, false],
      [' '.repeat(10_000), {}, ' '.repeat(10_000), false],
    ] as const)('%j %j → %j (valid: %s)', (input, options, normalised, valid) => {
      const n = normalizePhone(input, options);
      expect(n).toBe(normalised);
      expect(isE164Phone(n)).toBe(valid);
    });
  });
});
