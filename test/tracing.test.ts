// OpenTelemetry: with OTEL_EXPORTER_OTLP_ENDPOINT set, spans reach an OTLP/HTTP receiver (this
// test's own, in process) in one chain: the caller's `traceparent` → the HTTP request → the
// GraphQL operation (name, type) or the REST route → its SQL statements. The trace id and
// operation name are in the request's log lines; health probes log at debug. Unset: no tracer.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DRIVERS, LogCapture, startTestGateway, type TestGateway } from './helpers/gateway.js';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
}

/** OTLP/JSON ids are hex; some encoders send base64: either way, hex here. */
const hex = (id: string | undefined) => (!id ? '' : /^[0-9a-f]+$/.test(id) ? id : Buffer.from(id, 'base64').toString('hex'));

/** A minimal OTLP/HTTP (JSON) trace receiver. */
async function otlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; server: Server }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces' && req.headers['content-type']?.includes('json')) {
        const doc = JSON.parse(body);
        for (const rs of doc.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? [])
              spans.push({
                traceId: hex(s.traceId),
                spanId: hex(s.spanId),
                parentSpanId: hex(s.parentSpanId),
                name: s.name,
                attributes: Object.fromEntries((s.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [a.key, Object.values(a.value)[0]])),
              });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const traceparent = `00-${TRACE_ID}-${PARENT_ID}-01`;

describe.each(DRIVERS)('tracing on %s', (driver) => {
  let t: TestGateway;
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  const logs = new LogCapture();
  beforeAll(async () => {
    receiver = await otlpReceiver();
    t = await startTestGateway(driver, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'gw-under-test' }, logs });
  });
  afterAll(async () => {
    await t.close();
    receiver.server.close();
  });

  const flushed = async () => {
    await t.gw.app.observability.tracing!.flush();
    return receiver.spans.filter((s) => s.traceId === TRACE_ID);
  };
  const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan) => spans.filter((s) => s.parentSpanId === parent.spanId);

  it('chains traceparent → HTTP request → GraphQL operation → SQL statements, and logs the trace id and operation name', async () => {
    const res = await t.gql(`query TraceMe { users(first: 2) { nodes { username } } }`, {}, { token: ADMIN.token, headers: { traceparent } });
    expect(res.body.data.users.nodes.length).toBeGreaterThan(0);
    const spans = await flushed();
    const http = spans.find((s) => s.name === 'POST /graphql');
    expect(http, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(http!.parentSpanId).toBe(PARENT_ID);
    expect(http!.attributes).toMatchObject({ 'http.route': '/graphql', 'http.response.status_code': 200, 'gateway.dialect': 'graphql' });
    const operation = childrenOf(spans, http!).find((s) => s.name === 'query TraceMe');
    expect(operation?.attributes).toMatchObject({ 'graphql.operation.name': 'TraceMe', 'graphql.operation.type': 'query' });
    const sql = childrenOf(spans, operation!);
    expect(sql.length).toBeGreaterThan(0);
    expect(sql.every((s) => typeof s.attributes['db.query.text'] === 'string')).toBe(true);
    expect(sql.some((s) => /users/.test(String(s.attributes['db.query.text'])))).toBe(true);
    // Authentication ran before the operation: its statements hang off the request itself.
    expect(childrenOf(spans, http!).some((s) => s !== operation && s.attributes['db.query.text'] !== undefined)).toBe(true);

    const completed = logs.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request completed' && l.traceId === TRACE_ID);
    expect(completed).toMatchObject({ traceId: TRACE_ID, operationName: 'TraceMe' });
  });

  it('gives a REST route its own span between the request and its SQL', async () => {
    receiver.spans.length = 0;
    const res = await t.gw.app.inject({ method: 'GET', url: '/api/v4/users?per_page=2', headers: { 'private-token': ADMIN.token, traceparent } });
    expect(res.statusCode).toBe(200);
    const spans = await flushed();
    const http = spans.find((s) => s.name === 'GET /api/v4/users');
    expect(http?.parentSpanId).toBe(PARENT_ID);
    const route = childrenOf(spans, http!).find((s) => s.name === 'REST gitlab GET /api/v4/users');
    expect(route?.attributes).toMatchObject({ 'gateway.dialect': 'gitlab' });
    expect(childrenOf(spans, route!).some((s) => s.attributes['db.query.text'] !== undefined)).toBe(true);
  });

  it('puts a mutation\'s transaction in one span under its operation', async () => {
    receiver.spans.length = 0;
    const res = await t.gql(`mutation MakeOrg { createOrganization(input: { slug: "traced-org", name: "T" }) { organization { id } } }`, {}, { token: ADMIN.token, headers: { traceparent } });
    expect(res.body.data.createOrganization.organization.id).toBeTruthy();
    const spans = await flushed();
    const operation = spans.find((s) => s.name === 'mutation MakeOrg')!;
    expect(childrenOf(spans, operation).some((s) => s.name === 'db.transaction')).toBe(true);
  });

  it('starts a new trace without traceparent, and ignores a malformed one', async () => {
    receiver.spans.length = 0;
    await t.gql(`query Fresh { __typename }`, {}, { headers: { traceparent: '00-zz-bad-01' } });
    await t.gw.app.observability.tracing!.flush();
    const http = receiver.spans.find((s) => s.name === 'POST /graphql');
    expect(http?.parentSpanId).toBe('');
    expect(http?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('tracing off (OTEL_EXPORTER_OTLP_ENDPOINT unset)', () => {
  it('creates no tracer; probes log at debug only', async () => {
    const logs = new LogCapture();
    const t = await startTestGateway('pglite', { logs });
    try {
      expect(t.gw.app.observability.tracing).toBeUndefined();
      await t.gw.app.inject({ method: 'GET', url: '/healthz' });
      await t.gw.app.inject({ method: 'GET', url: '/readyz' });
      await t.gql(`query Logged { __typename }`);
      expect(logs.text).not.toContain('/healthz');
      expect(logs.text).not.toContain('/readyz');
      expect(logs.text).toContain('/graphql');
    } finally {
      await t.close();
    }
    const debug = new LogCapture();
    const d = await startTestGateway('pglite', { logs: debug, env: { LOG_LEVEL: 'debug' } });
    try {
      await d.gw.app.inject({ method: 'GET', url: '/healthz' });
      expect(debug.text).toContain('/healthz');
    } finally {
      await d.close();
    }
  });
});
