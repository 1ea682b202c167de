// A self-hosted GraphiQL: GraphiQL 3's prebuilt UMD bundle and React 18's UMD builds, served
// from node_modules. No CDN, so it works offline; a Content-Security-Policy of 'self' makes the
// browser refuse any external load the bundle might attempt.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

export const GRAPHIQL_ASSET_PREFIX = '/graphiql/';

// React's package exports hide umd/, so files are found beside each package's package.json.
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript; charset=utf-8' },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript; charset=utf-8' },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css; charset=utf-8' },
};

const assetPath = (a: { pkg: string; file: string }) => join(dirname(require.resolve(`${a.pkg}/package.json`)), a.file);

// Starts GraphiQL against the endpoint the page was served from; same-origin POSTs with
// application/json pass Apollo's CSRF prevention. Subscriptions go over a WebSocket to the same
// path (graphql-ws); the headers typed in GraphiQL travel as its connection_init payload, so
// `{"Authorization": "Bearer <token>"}` signs them in as it does queries. `#query=…&variables=…`
// in the page's address fill the editors: shareable links, in the fragment because `?query=` is
// a GraphQL GET request; never headers, so no token lands in an address.
const INIT_JS = `(function () {
  var params = new URLSearchParams(window.location.hash.slice(1));
  var wsUrl = (window.location.protocol === 'https:' ? 'wss://' : 'ws://') + window.location.host + window.location.pathname;
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname, subscriptionUrl: wsUrl });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    query: params.get('query') || undefined,
    variables: params.get('variables') || undefined,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
    defaultQuery: '# Sign in with the login mutation, then add a header:\\n# { "Authorization": "Bearer <accessToken>" }\\n\\nquery {\\n  viewer {\\n    id\\n    username\\n  }\\n}\\n'
  }));
})();
`;

export const GRAPHIQL_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const graphiqlHtml = (): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL — identity graph gateway</title>
<link rel="stylesheet" href="${GRAPHIQL_ASSET_PREFIX}graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${GRAPHIQL_ASSET_PREFIX}react.production.min.js"></script>
<script src="${GRAPHIQL_ASSET_PREFIX}react-dom.production.min.js"></script>
<script src="${GRAPHIQL_ASSET_PREFIX}graphiql.min.js"></script>
<script src="${GRAPHIQL_ASSET_PREFIX}init.js"></script>
</body>
</html>
`;

/** Whether a GET should get the GraphiQL page: a browser navigation without a query. */
export function wantsGraphiql(accept: string | undefined, query: unknown): boolean {
  const q = query as Record<string, unknown> | undefined;
  if (q && (q.query !== undefined || q.extensions !== undefined)) return false;
  return typeof accept === 'string' && accept.includes('text/html');
}

export function registerGraphiqlAssets(app: FastifyInstance): void {
  const cache = new Map<string, Buffer>();
  app.get(`${GRAPHIQL_ASSET_PREFIX}:file`, async (request, reply) => {
    const file = (request.params as { file: string }).file;
    if (file === 'init.js') return reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(INIT_JS);
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) return reply.code(404).send({ code: 'NOT_FOUND', message: 'Not found' });
    let body = cache.get(file);
    if (!body) {
      body = readFileSync(assetPath(asset));
      cache.set(file, body);
    }
    return reply.type(asset.type).header('cache-control', 'public, max-age=86400').send(body);
  });
}
