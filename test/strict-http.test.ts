// The HTTP-level rules of strict input (issue 22's smaller gaps): a body over the limit is answered
// 413 and the client reads that answer (a real socket: no reset while it still sends), framework
// errors of /graphql come in the media type the client accepts, and every API answer carries
// nosniff, a Referrer-Policy, and Cache-Control: no-store where it may carry tokens.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';

/**
 * Sends `size` bytes of body on a raw socket, in chunks, as a slow client would, and returns
 * what came back and whether the socket was reset. `chunked`: no Content-Length.
 */
function sendLarge(port: number, path: string, size: number, opts: { chunked?: boolean; headers?: Record<string, string> } = {}): Promise<{ response: string; reset: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    let reset = false;
    let sentAll = false;
    // Done when the whole body is sent and the whole answer read (the server may keep the connection).
    const complete = () => {
      const end = response.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(response)?.[1];
      return end >= 0 && length !== undefined && response.length >= end + 4 + Number(length);
    };
    const finish = () => {
      if (sentAll && complete()) socket.end();
    };
    socket.on('data', (d) => {
      response += d.toString('latin1');
      finish();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') reset = true;
    });
    socket.on('close', () => resolve({ response, reset }));
    const head = [
      `POST ${path} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Content-Type: application/json',
      ...Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
      opts.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`,
      '',
      '',
    ].join('\r\n');
    socket.write(head);
    const chunk = Buffer.alloc(64 * 1024, 'a'.charCodeAt(0));
    let sent = 0;
    const more = () => {
      while (sent < size && !socket.destroyed) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        const piece = opts.chunked ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), chunk.subarray(0, n), Buffer.from('\r\n')]) : chunk.subarray(0, n);
        if (!socket.write(piece)) return void socket.once('drain', more);
      }
      if (opts.chunked && !socket.destroyed) socket.write('0\r\n\r\n');
      if (sent >= size) {
        sentAll = true;
        finish();
      }
    };
    more();
  });
}

describe.each(DRIVERS)('strict HTTP on %s', (driver) => {
  let t: TestGateway;
  let port: number;

  beforeAll(async () => {
    t = await startTestGateway(driver);
    await t.gw.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.gw.app.server.address() as { port: number }).port;
  });
  afterAll(() => t?.close());

  it('answers a 2 MB and a 20 MB body 413 and the client reads it (no reset), on /graphql and a REST route', async () => {
    const cases = [['/graphql', false], ['/graphql', true], ['/api/v4/users', false], ['/accounts/organizations/', true]] as const;
    // Several times each: a reset is a race between the client's writes and the server's close.
    for (const [[path, chunked], mb] of [...cases, ...cases].flatMap((c) => [[c, 2], [c, 20]] as const)) {
      const { response, reset } = await sendLarge(port, path, mb * 1024 * 1024, { chunked, headers: { authorization: `Bearer ${ADMIN.token}` } });
      const label = `${path} ${mb} MB ${chunked ? 'chunked' : 'with length'}`;
      expect(response, label).toMatch(/^HTTP\/1\.1 413 /);
      expect(reset, label).toBe(false);
      // The body is the surface's error (GraphQL's errors[], GitLab's message, DRF's detail).
      expect(response.slice(response.indexOf('\r\n\r\n') + 4), label).toMatch(/PAYLOAD_TOO_LARGE|"message"|"detail"/);
    }
    // A client that writes the whole body before it reads (fetch): it gets the answer too.
    for (let i = 0; i < 5; i++) {
      for (const path of ['/graphql', '/api/v4/users']) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN.token}` }, body: Buffer.alloc(2 * 1024 * 1024, 'a'.charCodeAt(0)) });
        expect(res.status, path).toBe(413);
        expect(await res.text(), path).toMatch(/PAYLOAD_TOO_LARGE|"message"/);
      }
    }
    // The server still answers (the connections were kept, and drained).
    expect((await t.gql('{ viewer { username } }', {}, { token: ADMIN.token })).body.data.viewer.username).toBe(ADMIN.username);
  });

  it('answers a malformed /graphql body in the media type the client accepts', async () => {
    const post = (accept: string) => t.gw.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', accept }, payload: '{"query": ' });
    const modern = await post('application/graphql-response+json');
    expect(modern.statusCode).toBe(400);
    expect(modern.headers['content-type']).toMatch(/^application\/graphql-response\+json/);
    expect(modern.json().errors[0].extensions.code).toBe('BAD_REQUEST');
    const legacy = await post('application/json');
    expect(legacy.headers['content-type']).toMatch(/^application\/json/);
  });

  it('sends nosniff and a Referrer-Policy on every answer, and no-store on API answers', async () => {
    const answers = [
      await t.gw.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }', variables: { i: { login: ADMIN.username, password: ADMIN.password } } } }),
      await t.gw.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '{' }),
      await t.gw.app.inject({ method: 'GET', url: '/api/v4/user', headers: { authorization: `Bearer ${ADMIN.token}` } }),
      await t.gw.app.inject({ method: 'GET', url: '/api/v4/user' }),
      await t.gw.app.inject({ method: 'GET', url: '/accounts/organizations/', headers: { authorization: `Token ${ADMIN.token}` } }),
      await t.gw.app.inject({ method: 'GET', url: '/v1/api/invites/someone@example.com' }),
    ];
    expect(answers[0]!.json().data.login.accessToken).toBeTruthy();
    for (const a of answers) {
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['referrer-policy']).toBe('no-referrer');
      expect(a.headers['cache-control']).toBe('no-store');
    }
    const health = await t.gw.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.headers['x-content-type-options']).toBe('nosniff');
  });
});
