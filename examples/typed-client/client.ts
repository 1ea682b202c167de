// A small typed client for the gateway: each call takes a typed document from generated.ts, so
// the variables it needs and the shape it answers are checked by the compiler. Run against a
// gateway: GATEWAY_URL=http://localhost:4000/graphql TOKEN=<api token> node client.js
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { CreateOrganizationDocument, FirstUsersDocument, ViewerDocument } from './generated.js';

export class GatewayError extends Error {}

export function client(url: string, token?: string) {
  return async function request<Result, Variables>(document: TypedDocumentNode<Result, Variables>, ...[variables]: Variables extends Record<string, never> ? [] : [Variables]): Promise<Result> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await res.json()) as { data?: Result; errors?: { message: string }[] };
    if (body.errors?.length || !body.data) throw new GatewayError(body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${res.status}`);
    return body.data;
  };
}

async function main() {
  const request = client(process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql', process.env.TOKEN);
  const { viewer } = await request(ViewerDocument);
  console.log(`signed in as ${viewer?.username ?? '(anonymous)'}${viewer?.isAdmin ? ' (instance admin)' : ''}`);
  const { users } = await request(FirstUsersDocument, { first: 5 });
  console.log(`${users.totalCount} users; first: ${users.nodes.map((u) => u.username).join(', ')}`);
  const slug = process.env.ORG_SLUG;
  if (slug) {
    const { createOrganization } = await request(CreateOrganizationDocument, { input: { slug, name: `Made by the typed client` } });
    if (createOrganization.userErrors.length) console.log(`not created: ${createOrganization.userErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    else console.log(`created organization ${createOrganization.organization?.slug}`);
  }
}

if (process.argv[1]?.endsWith('client.js')) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
