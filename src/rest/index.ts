// The REST compatibility layer: every dialect, mounted at its default paths, with its OpenAPI
// document at /openapi/<dialect>.json.
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { AppDeps } from '../context.js';
import { mountDialect } from './engine.js';
import { oisp } from './oisp/index.js';
import { openApiDocument } from './openapi.js';
import type { Dialect } from './types.js';

export const DIALECTS: Dialect[] = [oisp];

export function registerRest(app: FastifyInstance, opts: { schema: GraphQLSchema; deps: AppDeps; logger: Logger }): void {
  for (const dialect of DIALECTS) {
    for (const mount of dialect.mounts) mountDialect(app, { ...opts, dialect, mount });
    const document = openApiDocument(dialect, dialect.mounts[0]!);
    app.get(`/openapi/${dialect.name}.json`, async () => document);
  }
}
