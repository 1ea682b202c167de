// Form bodies for dialects whose legacy servers took them (GitLab's API takes JSON, urlencoded
// and multipart forms alike; its clients send multipart for some calls, e.g. gitbeaker's
// Users.edit). Registered only inside such a dialect's plugin scope, so /graphql and the other
// dialects keep JSON only. Values become strings (files are dropped); the route's JSON Schema
// then coerces and validates them as it does query parameters (JSON bodies are not coerced:
// core/lazy-validator.ts), since a form has no other way to say 5 or true.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { markTextValued } from '../core/lazy-validator.js';

const toObject = (entries: Iterable<[string, unknown]>) => {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of entries) if (typeof v === 'string') out[k] = v;
  // A plain object again, so nothing downstream sees a null prototype.
  return markTextValued({ ...out });
};

export function registerFormParsers(scope: FastifyInstance): void {
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req: FastifyRequest, body: string, done) => {
    done(null, toObject(new URLSearchParams(body)));
  });
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req: FastifyRequest, body: Buffer, done) => {
    new Response(new Uint8Array(body), { headers: { 'content-type': String(req.headers['content-type']) } })
      .formData()
      .then((form) => done(null, toObject(form.entries() as Iterable<[string, unknown]>)))
      .catch(() => done(Object.assign(new Error('Malformed multipart body'), { statusCode: 400 }), undefined));
  });
}
