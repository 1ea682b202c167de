// JSON bodies for the REST dialects: fastify's own parser (prototype-poisoning checks
// included), except that an empty body under `Content-Type: application/json` is no body
// rather than a 400. Legacy clients send that header on every request — the IoT platform's
// SDK on its bodiless DELETE — and their servers ignored it. A route that needs a body still
// refuses the missing one through its JSON Schema. /graphql keeps the strict parser.
import type { FastifyInstance, FastifyRequest } from 'fastify';

export function registerLenientJson(scope: FastifyInstance): void {
  const strict = scope.getDefaultJsonParser('error', 'error');
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (req: FastifyRequest, body: string, done) => {
    if (body === '') return done(null, undefined);
    return strict(req, body, done);
  });
}
