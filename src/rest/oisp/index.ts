// The `oisp` dialect: the IoT platform's invitation API under /v1/api. Bearer tokens only;
// errors as the platform sends them: { "code": <HTTP status>, "message": "…" }.
import { unauthenticated } from '../../core/errors.js';
import type { Dialect } from '../types.js';
import { inviteRoutes } from './invites.routes.js';

export const oisp: Dialect = {
  name: 'oisp',
  title: 'IoT platform invitations (compatibility)',
  version: '1.0',
  mounts: ['/v1/api'],
  routes: inviteRoutes,
  credential(request) {
    const h = request.headers.authorization;
    if (!h) return undefined;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    if (!m) throw unauthenticated('Use Authorization: Bearer <token>');
    return m[1];
  },
  securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from the GraphQL `login` mutation, or a personal API token.' } },
  // One message per answer: several validation failures are joined into it.
  error: (e) => ({ status: e.status, body: { code: e.status, message: [e, ...(e.more ?? [])].map((m) => m.message).join('; '), ...(e.field ? { field: e.field } : {}) } }),
  errorSchema: {
    type: 'object',
    properties: { code: { type: 'integer' }, message: { type: 'string' }, field: { type: 'string' } },
    required: ['code', 'message'],
  },
};
