// The one translation of errors into codes and the one scope rule, shared by /graphql and the
// REST routes (core/graphql/request-rules.ts). The surfaces' own tests (http, auth, rest-*)
// check the answers end to end; these pin the table both read.
import { GraphQLError, locatedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../src/core/auth/principal.js';
import { DomainError, validation } from '../src/core/errors.js';
import { frameworkError, fromUserError, publicError, scopeRefusal } from '../src/core/graphql/request-rules.js';

const token = (scopes: ('api' | 'read_api')[]): Principal => ({
  kind: 'user',
  userId: 'u',
  username: 'u',
  isInstanceAdmin: false,
  credential: { type: 'personal_access_token', tokenId: 't', organizationId: null, scopes },
});

describe('request rules', () => {
  it('lets read-only tokens query but not mutate; login tokens and anonymous callers pass on to the services', () => {
    expect(scopeRefusal(token(['read_api']), 'mutation')).toMatchObject({ code: 'INSUFFICIENT_SCOPE', status: 403 });
    expect(scopeRefusal(token(['read_api']), 'query')).toBeNull();
    expect(scopeRefusal(token(['api']), 'mutation')).toBeNull();
    expect(scopeRefusal({ kind: 'user', userId: 'u', username: 'u', isInstanceAdmin: false, credential: { type: 'access_token', expiresAt: new Date() } }, 'mutation')).toBeNull();
    expect(scopeRefusal({ kind: 'anonymous' }, 'mutation')).toBeNull();
  });

  it('shows domain errors with their code, field and status, located or not', () => {
    const err = validation('input.name', 'Name is too long');
    const expected = { code: 'VALIDATION_FAILED', message: 'Name is too long', field: 'input.name', status: 400 };
    expect(publicError(err)).toEqual(expected);
    expect(publicError(locatedError(err, undefined, ['createGroup']))).toEqual(expected);
    expect(publicError(new GraphQLError('wrapped', { originalError: new DomainError('NOT_FOUND', 'Group not found') }))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it("shows GraphQL's own request errors as the client's, and masks anything else", () => {
    expect(publicError(new GraphQLError('Query is 40 levels deep', { extensions: { code: 'QUERY_TOO_DEEP' } }))).toMatchObject({ code: 'QUERY_TOO_DEEP', status: 400 });
    expect(publicError(new GraphQLError('Syntax Error', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }))).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', status: 400 });
    // graphql-js names no code for variables that do not coerce.
    expect(publicError(new GraphQLError('Variable "$id" got invalid value 3'))).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect(publicError(locatedError(new Error('relation "users" does not exist'), undefined, ['users']))).toBeNull();
    expect(publicError(new TypeError('x is undefined'))).toBeNull();
  });

  it('answers payload userErrors with their code when it is in the table', () => {
    expect(fromUserError({ code: 'CONFLICT', field: 'slug', message: 'taken' })).toEqual({ code: 'CONFLICT', field: 'slug', message: 'taken', status: 409 });
    expect(fromUserError({ code: 'SOMETHING_ELSE', field: null, message: 'odd' })).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
  });

  it("maps the framework's 4xx errors and leaves its 5xx to be logged", () => {
    const limit = { bodyLimit: 1024 };
    expect(frameworkError({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'too big' }, limit)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Request body is larger than 1024 bytes',
      field: null,
      status: 413,
    });
    expect(frameworkError({ statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', message: 'Unsupported Media Type: application/xml' }, limit)).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      status: 415,
    });
    expect(frameworkError({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: 'Unexpected token } in JSON at position 12' }, limit)).toEqual({
      code: 'BAD_REQUEST',
      message: 'Malformed request body',
      field: null,
      status: 400,
    });
    expect(frameworkError({ statusCode: 500, code: 'FST_ERR_SOMETHING', message: 'boom' }, limit)).toBeNull();
    expect(frameworkError({ message: 'no status' }, limit)).toBeNull();
  });
});
