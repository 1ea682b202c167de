// /docs: the REST dialects' OpenAPI documents in Swagger UI, served from node_modules
// (swagger-ui-dist): no CDN, works offline, and a Content-Security-Policy of 'self' makes the
// browser refuse any external load. Lists every mounted dialect's /openapi/<dialect>.json.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

export const DOCS_PATH = '/docs';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

// Swagger UI sets inline styles on elements (style-src needs 'unsafe-inline'); its schema
// images are data: URLs. Scripts only from here.
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>REST API documentation — identity graph gateway</title>
<link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png">
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui">Loading the API documentation…</div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
<script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;

/**
 * The page's start script: one entry per mounted dialect in the top bar's selector. The
 * validator badge is off (it loads an image from validator.swagger.io), and so is "Try it out"
 * for no dialect: requests go to this same origin.
 */
const initJs = (dialects: readonly string[]) => `(function () {
  window.ui = SwaggerUIBundle({
    urls: ${JSON.stringify(dialects.map((name) => ({ name, url: `/openapi/${name}.json` })))},
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout'
  });
})();
`;

export function registerDocs(app: FastifyInstance, dialects: readonly string[]): void {
  const dist = dirname(require.resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Buffer>();
  const init = initJs(dialects);
  app.get(DOCS_PATH, async (_request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', DOCS_CSP).send(html));
  app.get(`${DOCS_PATH}/:file`, async (request, reply) => {
    const file = (request.params as { file: string }).file;
    if (file === 'init.js') return reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(init);
    const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!type) return reply.code(404).send({ code: 'NOT_FOUND', message: 'Not found', requestId: request.id });
    let body = cache.get(file);
    if (!body) cache.set(file, (body = readFileSync(join(dist, file))));
    return reply.type(type).header('cache-control', 'public, max-age=86400').send(body);
  });
}
