// The REST compatibility layer: every dialect, mounted at its default paths, with its OpenAPI
// document at /openapi/<dialect>.json.
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { REST_DIALECTS, type RestDialectName } from '../config.js';
import type { AppDeps } from '../context.js';
import type { QueryJit } from '../core/graphql/jit.js';
import { mountDialect } from './engine.js';
import { registerFormParsers } from './forms.js';
import { registerLenientJson } from './json-body.js';
import { accounts } from './accounts/index.js';
import { gitlab, gitlabV3 } from './gitlab/index.js';
import { iyo } from './iyo/index.js';
import { oisp } from './oisp/index.js';
import { seald } from './seald/index.js';
import { openApiDocument } from './openapi.js';
import type { Dialect } from './types.js';

export const DIALECTS: Dialect[] = [oisp, accounts, gitlab, gitlabV3, seald, iyo];

/**
 * Which mounted dialect a request path belongs to: the one with the longest static route prefix
 * (a route's path up to its first parameter) that the path starts with; undefined for none.
 * For answers given before routing (a path that is no valid URL) in the dialect's shape.
 */
export type DialectAt = (path: string) => Dialect | undefined;

function dialectLocator(mounted: { dialect: Dialect; mount: string }[]): DialectAt {
  const prefixes = mounted
    .flatMap(({ dialect, mount }) => dialect.routes.map((r) => ({ dialect, prefix: mount + r.path.split('/:')[0]! })))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return (path) => prefixes.find((p) => path.startsWith(p.prefix))?.dialect;
}

/**
 * Mounts every dialect; returns where each answers (for errors raised before routing) and the
 * names of those mounted (each has /openapi/<name>.json, listed by /docs).
 */
export function registerRest(app: FastifyInstance, opts: { schema: GraphQLSchema; jit: QueryJit; deps: AppDeps; logger: Logger }): { dialectAt: DialectAt; names: string[] } {
  const mounted: { dialect: Dialect; mount: string }[] = [];
  const mountedNames: string[] = [];
  const names = DIALECTS.map((d) => d.name).sort();
  if (names.join() !== [...REST_DIALECTS].sort().join()) throw new Error(`REST_DIALECTS in config.ts must name the dialects: ${names.join(', ')}`);
  for (const dialect of DIALECTS) {
    // REST_MOUNTS may move a dialect, mount it twice or turn it off ([]).
    const mounts = opts.deps.config.restMounts[dialect.name as RestDialectName] ?? dialect.mounts;
    if (mounts.length === 0) continue;
    mounted.push(...mounts.map((mount) => ({ dialect, mount })));
    // Each dialect in its own plugin scope, so its body parsers never reach /graphql or the
    // other dialects (routes are registered at ready()).
    app.register(async (scope) => {
      registerLenientJson(scope);
      if (dialect.formBodies) registerFormParsers(scope, { keepFiles: dialect.fileUploads === true });
      for (const mount of mounts) mountDialect(scope, { ...opts, dialect, mount });
    });
    const document = openApiDocument(dialect, mounts[0]!);
    app.get(`/openapi/${dialect.name}.json`, async () => document);
    mountedNames.push(dialect.name);
  }
  return { dialectAt: dialectLocator(mounted), names: mountedNames };
}
