// A user's avatars on the Itsyouonline REST engine: links, images uploaded as multipart/form-data
// (part `file`) and served back byte for byte with their content type, renames, the protected
// labels of linked accounts, the size limit (413), other users kept out.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avatarRoutes } from '../src/rest/iyo/avatar.routes.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';

/** A multipart/form-data body with one file part. */
function multipart(name: string, filename: string, type: string, bytes: Buffer) {
  const boundary = `----igw${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, bytes, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}
// A PNG signature and some bytes of every value: what goes in must come out unchanged.
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(1000)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(500)]);

describe.each(DRIVERS)('iyo dialect: avatars on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver, { env: { AVATAR_MAX_BYTES: '4096' } });
    const s = seed(t);
    tok = { alice: await s.tokenFor(await s.user('avaalice')), bob: await s.tokenFor(await s.user('avabob')), admin: ADMIN.token };
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, token?: string, body?: unknown) => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url: `/api${url}`,
      headers: { ...(token ? { authorization: `bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body && res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : undefined, raw: res.rawPayload, headers: res.headers };
  };
  const upload = async (method: 'POST' | 'PUT', url: string, token: string | undefined, type: string, bytes: Buffer, part = 'file') => {
    const m = multipart(part, 'me.img', type, bytes);
    const res = await t.gw.app.inject({ method, url: `/api${url}`, headers: { ...(token ? { authorization: `bearer ${token}` } : {}), 'content-type': m.contentType }, payload: m.payload });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };

  it('uploads an image (201) and serves it back byte for byte with its content type', async () => {
    const r = await upload('POST', '/users/avaalice/avatar/img/main', tok.alice, 'image/png', PNG);
    expect(r.status).toBe(201);
    expect(r.body.label).toBe('main');
    expect(r.body.source).toMatch(/\/api\/users\/avatar\/img\/[0-9a-f]{64}$/);
    const path = new URL(r.body.source).pathname.replace(/^\/api/, '');
    const img = await call('GET', path, tok.bob);
    expect(img.status).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(img.raw, PNG)).toBe(0);
    expect((await call('GET', path)).status).toBe(401);
    expect((await call('GET', `/users/avatar/img/${'0'.repeat(64)}`, tok.alice)).status).toBe(404);

    // Replace the image under a new label: the old URL is gone, the new one serves the new bytes.
    const replaced = await upload('PUT', '/users/avaalice/avatar/main/to/profile', tok.alice, 'image/jpeg', JPEG);
    expect(replaced.status).toBe(200);
    expect(replaced.body.label).toBe('profile');
    const jpeg = await call('GET', new URL(replaced.body.source).pathname.replace(/^\/api/, ''), tok.alice);
    expect(jpeg.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(jpeg.raw, JPEG)).toBe(0);
    expect((await call('GET', path, tok.alice)).status).toBe(404);
    expect((await call('GET', '/users/avaalice/info', tok.alice)).body.avatar).toEqual([{ label: 'profile', source: replaced.body.source }]);
  });

  it('links, renames, deletes; 409 for used and reserved labels; 413 for too large; 404 unknown; others kept out', async () => {
    const link = await call('POST', '/users/avaalice/avatar', tok.alice, { label: 'gravatar', source: 'https://example.com/a.png' });
    expect(link.status).toBe(201);
    expect(link.body).toEqual({ label: 'gravatar', source: 'https://example.com/a.png' });
    expect((await call('POST', '/users/avaalice/avatar', tok.alice, { label: 'gravatar', source: 'https://example.com/b.png' })).status).toBe(409);
    expect((await call('POST', '/users/avaalice/avatar', tok.alice, { label: 'facebook', source: 'https://example.com/b.png' })).status).toBe(409);
    expect((await call('PUT', '/users/avaalice/avatar/gravatar', tok.alice, { label: 'github', source: 'https://example.com/b.png' })).status).toBe(409);
    expect((await upload('POST', '/users/avaalice/avatar/img/big', tok.alice, 'image/png', randomBytes(5000))).status).toBe(413);
    expect((await upload('POST', '/users/avaalice/avatar/img/svg', tok.alice, 'image/svg+xml', Buffer.from('<svg/>'))).status).toBe(400);
    const put = await call('PUT', '/users/avaalice/avatar/gravatar', tok.alice, { label: 'gravatar2', source: 'https://example.com/c.png' });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ label: 'gravatar2', source: 'https://example.com/c.png' });
    expect((await call('PUT', '/users/avaalice/avatar/nothere', tok.alice, { label: 'x2', source: 'https://example.com/c.png' })).status).toBe(404);

    expect((await call('GET', '/users/avaalice/avatar', tok.bob)).status).toBe(403);
    expect((await call('POST', '/users/avaalice/avatar', tok.bob, { label: 'evil', source: 'https://example.com/e.png' })).status).toBe(403);
    expect((await upload('POST', '/users/avaalice/avatar/img/evil', tok.bob, 'image/png', PNG)).status).toBe(403);
    expect((await upload('PUT', '/users/avaalice/avatar/gravatar2/to/evil', tok.bob, 'image/png', PNG)).status).toBe(403);
    expect((await call('PUT', '/users/avaalice/avatar/gravatar2', tok.bob, { label: 'evil', source: 'https://example.com/e.png' })).status).toBe(403);
    expect((await call('DELETE', '/users/avaalice/avatar/gravatar2', tok.bob)).status).toBe(403);
    expect((await call('GET', '/users/avaalice/avatar', tok.alice)).body.map((a: { label: string }) => a.label)).toEqual(['profile', 'gravatar2']);

    expect((await call('DELETE', '/users/avaalice/avatar/gravatar2', tok.alice)).status).toBe(204);
    expect((await call('DELETE', '/users/avaalice/avatar/gravatar2', tok.alice)).status).toBe(404);
    expect((await call('GET', '/users/avaalice/avatar', tok.admin)).body.map((a: { label: string }) => a.label)).toEqual(['profile']);
  });

  it('refuses bad input on every route with a 4xx {error}', async () => {
    const cases: [string, string, string | undefined, unknown?][] = [
      ['GET', '/users/avaalice/avatar', undefined],
      ['POST', '/users/avaalice/avatar', tok.alice, { label: 'ok', source: 'javascript:alert(1)' }],
      ['POST', '/users/avaalice/avatar', tok.alice, { label: 'ok', source: 12 }],
      ['POST', '/users/avaalice/avatar', tok.alice, { label: 'x', source: 'https://example.com' }],
      ['POST', '/users/avaalice/avatar/img/ok', tok.alice, { file: { contentType: 'image/png', base64: '!!!' } }],
      ['POST', '/users/avaalice/avatar/img/ok', tok.alice, {}],
      ['POST', '/users/avaalice/avatar/img/%00', tok.alice, { file: { contentType: 'image/png', base64: 'AAAA' } }],
      ['PUT', '/users/avaalice/avatar/profile', tok.alice, { label: 'ok\u0000', source: 'https://example.com' }],
      ['PUT', '/users/avaalice/avatar/profile/to/x', tok.alice, {}],
      ['PUT', '/users/avaalice/avatar/profile/to/okay', tok.alice, { file: { contentType: 'text/html', base64: 'AAAA' } }],
      ['DELETE', '/users/avaalice/avatar/facebook', tok.alice],
      ['DELETE', '/users/avaalice/avatar/%00', tok.alice],
      ['GET', '/users/avatar/img/not-a-hash', tok.alice],
      ['GET', `/users/avatar/img/${'a'.repeat(64)}`, undefined],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect(uncoveredRoutes(avatarRoutes, cases)).toEqual([]);
  });
});
