// What a REST dialect is: a route table (data), a credential reader and an error shape. The
// engine (engine.ts) runs each route's GraphQL operation against the same schema and context as
// /graphql; no route touches a repository.
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../core/auth/principal.js';

/** A JSON Schema (draft 7 subset that fastify's Ajv validates and OpenAPI 3.1 documents). */
export type JsonSchema = Record<string, unknown>;

export interface RestRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: any;
  principal: Principal;
  /** This request's absolute URL (for pagination links). */
  url: URL;
}

export interface RouteResponse {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The documented path, fastify syntax (`/accounts/:accountId/invites`). */
  path: string;
  summary: string;
  /**
   * Anonymous callers may call it. Unset (the default), the engine answers a request without a
   * credential 401 in the dialect's body before the route reads anything: deny by default.
   */
  public?: boolean;
  /** One GraphQL operation, parsed and validated against the schema at start. */
  operation: string;
  params?: JsonSchema;
  querystring?: JsonSchema;
  body?: JsonSchema;
  /**
   * The body's media types for the OpenAPI document, each with the schema a caller sends (default:
   * JSON with `body`); e.g. a file upload's multipart/form-data with a binary part.
   */
  bodyMediaTypes?: Record<string, JsonSchema>;
  /** The documented success body, for the OpenAPI document. */
  response?: JsonSchema;
  /** Success status (default 200). */
  status?: number;
  /** The operation's variables from the request; may throw a DomainError (an unknown id → NOT_FOUND). */
  variables?: (req: RestRequest) => Record<string, unknown>;
  /** The documented body (and status, headers) from the operation's data. */
  respond: (data: any, req: RestRequest) => RouteResponse;
  /** What NOT_FOUND names in this route's error message (GitLab: "404 User Not Found"). */
  resource?: string;
  /**
   * An error of the operation that this route answers as a success instead (GitLab's
   * idempotent DELETEs: a key that is already gone is `200 OK`); undefined keeps the error.
   */
  recover?: (e: DialectError, req: RestRequest) => RouteResponse | undefined;
}

export interface DialectError {
  code: string;
  message: string;
  /** The input field at fault (validation, conflict). */
  field?: string | null;
  status: number;
  resource?: string;
  /** Further failures of the same request (validation: every bad field), in order. */
  more?: DialectError[];
}

export interface Dialect {
  name: string;
  title: string;
  version: string;
  /** Where the dialect answers by default (REST_MOUNTS overrides: src/config.ts). */
  mounts: string[];
  routes: Route[];
  /** The credential this dialect's callers send; undefined when none. May throw UNAUTHENTICATED. */
  credential(request: FastifyRequest): string | undefined;
  /** The dialect's error status and body for a stable error code. */
  error(e: DialectError): { status: number; body: unknown };
  /** The error body shape, for the OpenAPI document. */
  errorSchema: JsonSchema;
  /**
   * The credentials this dialect's callers send, as OpenAPI security scheme objects by name
   * (each one alone is enough: the document lists them as alternatives). Undefined: Bearer only.
   */
  securitySchemes?: Record<string, Record<string, unknown>>;
  /** Also accept urlencoded and multipart form bodies (as the legacy server did), in this dialect's routes only. */
  formBodies?: boolean;
  /** With formBodies: multipart file parts are kept (rest/forms.ts: `{ filename, contentType, base64 }`), not dropped. */
  fileUploads?: boolean;
}
