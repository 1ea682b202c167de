// The Seald dialect's test client: a request with a team API key (`X-DASHBOARD-API-KEY`), a
// JSON body (or raw text, for malformed bodies) and extra headers; the answer's status, parsed
// body, and its headers when asked (files that compare whole answers leave them out). Shared by
// the rest-seald*.test.ts files.
import type { TestGateway } from './gateway.js';

export type SealdCall = (
  method: string,
  url: string,
  credential?: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: any; headers?: Record<string, unknown> }>;

export function sealdCall(t: () => TestGateway, opts: { headers?: boolean } = {}): SealdCall {
  return async (method, url, credential, body, headers = {}) => {
    const res = await t().gw.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(credential ? { 'x-dashboard-api-key': credential } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const answer = res.body ? res.json() : undefined;
    return opts.headers ? { status: res.statusCode, body: answer, headers: res.headers } : { status: res.statusCode, body: answer };
  };
}
