// Form bodies for dialects whose legacy servers took them (GitLab's API takes JSON, urlencoded
// and multipart forms alike; its clients send multipart for some calls, e.g. gitbeaker's
// Users.edit; Itsyouonline took avatar images as multipart). Registered only inside such a
// dialect's plugin scope, so /graphql and the other dialects keep JSON only. Text values become
// strings; the route's JSON Schema then coerces and validates them as it does query parameters
// (JSON bodies are not coerced: core/lazy-validator.ts), since a form has no other way to say 5
// or true. Files are dropped, unless the dialect keeps them: then a file part becomes
// `{ filename, contentType, base64 }` (the bytes as base64, so the body stays JSON-shaped for the
// route's schema and its GraphQL variables). The body limit (BODY_LIMIT) bounds every upload.
// Multipart is parsed by Node's own WHATWG FormData parser (undici), not by hand.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { markTextValued } from '../core/lazy-validator.js';

/** A file part of a multipart body, when the dialect keeps files. */
export interface UploadedFile {
  filename: string;
  contentType: string;
  base64: string;
}

async function toObject(entries: Iterable<[string, unknown]>, keepFiles: boolean) {
  const out: Record<string, string | UploadedFile> = Object.create(null);
  for (const [k, v] of entries) {
    if (typeof v === 'string') out[k] = v;
    else if (keepFiles && v instanceof Blob) {
      out[k] = { filename: (v as File).name ?? '', contentType: v.type || 'application/octet-stream', base64: Buffer.from(await v.arrayBuffer()).toString('base64') };
    }
  }
  // A plain object again, so nothing downstream sees a null prototype.
  return markTextValued({ ...out });
}

export function registerFormParsers(scope: FastifyInstance, opts: { keepFiles?: boolean } = {}): void {
  const keepFiles = opts.keepFiles === true;
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req: FastifyRequest, body: string, done) => {
    toObject(new URLSearchParams(body), false).then((o) => done(null, o), done);
  });
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req: FastifyRequest, body: Buffer, done) => {
    new Response(new Uint8Array(body), { headers: { 'content-type': String(req.headers['content-type']) } })
      .formData()
      .then((form) => toObject(form.entries() as Iterable<[string, unknown]>, keepFiles))
      .then((o) => done(null, o))
      .catch(() => done(Object.assign(new Error('Malformed multipart body'), { statusCode: 400 }), undefined));
  });
}
