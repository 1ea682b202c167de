// OpenTelemetry traces, exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set. Unset,
// nothing here is created: no hook, no span, no context store (the cost is one undefined check
// where the hooks would be). Set, a request gets a span (its parent from a W3C `traceparent`
// header), its GraphQL operation a child span (name, type), its REST route one, and each SQL
// statement (or transaction) one under whichever of those is current.
//
// The current span lives in an AsyncLocalStorage of our own holding a mutable slot: the
// operation span is set into the request's slot by an Apollo plugin hook, whose own async
// context would not reach the resolvers. Nothing is registered globally, so several gateways
// in one process (tests) keep their traces apart.
import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultTextMapGetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/** What db.ts tells a tracer about a statement: its text; the returned function ends it. */
export type StatementObserver = (kind: 'statement' | 'transaction', text: string) => (error?: unknown) => void;

export interface RequestSpan {
  span: Span;
  context: Context;
}

interface Slot {
  /** The context new spans of this request start under (the request, operation or route span). */
  current: Context;
}

export class Tracing {
  private readonly provider: TracerProvider;
  private readonly tracer: Tracer;
  private readonly propagator = new W3CTraceContextPropagator();
  private readonly store = new AsyncLocalStorage<Slot>();

  constructor(opts: { endpoint: string; serviceName: string; exportDelayMs?: number }) {
    // OTEL_EXPORTER_OTLP_ENDPOINT is the collector's base URL; traces go to /v1/traces (the
    // OpenTelemetry specification's rule for the signal-less variable).
    const url = `${opts.endpoint.replace(/\/+$/, '')}/v1/traces`;
    this.provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': opts.serviceName }),
      spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }), scheduledDelayMillis: opts.exportDelayMs ?? 2_000 })],
    });
    this.tracer = this.provider.getTracer('identity-graph-gateway');
  }

  /** Starts a request's span, a child of its `traceparent` when that is valid. */
  startRequest(headers: Record<string, string | string[] | undefined>, method: string, route: string, attributes: Record<string, string>): RequestSpan {
    const parent = this.propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    const span = this.tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'http.route': route, ...attributes } }, parent);
    return { span, context: trace.setSpan(parent, span) };
  }

  /**
   * Runs `next` (the rest of the request: fastify's handler) with the request's span current.
   * Entered after the body is read: the body's stream events carry the socket's async context.
   */
  enter(request: RequestSpan, next: () => void): void {
    this.store.run({ current: request.context }, next);
  }

  endRequest({ span }: RequestSpan, status: number): void {
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }

  /** Starts a span under the current one and makes it current until its end function runs. */
  child(name: string, attributes: Record<string, string>, startTime?: number): (error?: boolean) => void {
    const slot = this.store.getStore();
    if (!slot) return () => {};
    const parent = slot.current;
    const span = this.tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes, startTime }, parent);
    slot.current = trace.setSpan(parent, span);
    return (error) => {
      if (error) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      slot.current = parent;
    };
  }

  /** The trace id of the current request, for its log lines. */
  traceId(): string | undefined {
    const slot = this.store.getStore();
    return slot ? trace.getSpan(slot.current)?.spanContext().traceId : undefined;
  }

  /** Spans for the database (db.ts calls it for each statement outside a transaction, and each transaction). */
  readonly statements: StatementObserver = (kind, text) => {
    const slot = this.store.getStore();
    if (!slot) return () => {};
    const span = this.tracer.startSpan(kind === 'transaction' ? 'db.transaction' : statementName(text), { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', ...(text ? { 'db.query.text': text.slice(0, 2_000) } : {}) } }, slot.current);
    return (error) => {
      if (error) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
  };

  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

/** `select users`, `insert event_logs`: the statement's verb and first table, as span names go. */
function statementName(text: string): string {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? 'sql';
  const table = /\b(?:from|into|update)\s+"?(\w+)"?/i.exec(text)?.[1];
  return table ? `${verb} ${table}` : verb;
}
