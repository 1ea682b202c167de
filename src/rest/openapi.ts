// OpenAPI 3.1 documents generated from the route tables: one per dialect and mount, served
// at /openapi/<dialect>.json, so legacy callers and tools read the same contract the engine runs.
import type { Dialect, JsonSchema } from './types.js';

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

function parameters(where: 'path' | 'query', schema: JsonSchema | undefined) {
  const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' ? true : required.has(name),
    ...(s.description ? { description: s.description } : {}),
    schema: Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'description')),
  }));
}

export function openApiDocument(dialect: Dialect, mount: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of dialect.routes) {
    const path = toOpenApiPath(mount + r.path);
    const status = String(r.status ?? 200);
    const op: Record<string, unknown> = {
      operationId: `${r.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: r.summary,
      parameters: [...parameters('path', r.params), ...parameters('query', r.querystring)],
      responses: {
        [status]: { description: r.summary, content: { 'application/json': { schema: r.response ?? {} } } },
        default: { description: 'An error, in this dialect’s shape.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (r.body) {
      const content = Object.fromEntries(Object.entries(r.bodyMediaTypes ?? { 'application/json': r.body }).map(([type, schema]) => [type, { schema }]));
      op.requestBody = { required: true, content };
    }
    // Routes need a credential (the document-wide `security`) unless they say they are public.
    if (r.public) op.security = [];
    paths[path] ??= {};
    paths[path]![r.method.toLowerCase()] = op;
  }
  const securitySchemes = dialect.securitySchemes ?? { bearer: { type: 'http', scheme: 'bearer' } };
  return {
    openapi: '3.1.0',
    info: { title: dialect.title, version: dialect.version, description: `Served by the identity graph gateway from its ${dialect.name} route table.` },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: dialect.errorSchema },
      securitySchemes,
    },
    security: Object.keys(securitySchemes).map((name) => ({ [name]: [] })),
  };
}
