import {
  Attributes,
  Context,
  Span,
  SpanKind,
  SpanStatusCode,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  trace,
} from '@opentelemetry/api';

import { AsyncLocalStorageContextManager } from './async-local-storage-context.manager';
import { SpanNames, TracerNames } from './telemetry-names';
import { TRACEPARENT_HEADER, W3CTraceContextPropagator } from './w3c-trace-context.propagator';

const w3cPropagator = new W3CTraceContextPropagator();

export interface SpanRunOptions {
  /** Defaults to `relate.messaging.consume` for extracted contexts, required otherwise. */
  spanName?: string;
  tracerName?: string;
  kind?: SpanKind;
  attributes?: Attributes;
}

/**
 * Registers the AsyncLocalStorage context manager and the W3C propagator as the process-wide
 * OpenTelemetry globals. Call it once, before Nest boots. If an SDK registered its own already,
 * the API keeps those and this call changes nothing.
 */
export function installTraceContext(): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  propagation.setGlobalPropagator(w3cPropagator);
}

/** The W3C `traceparent` of the given (default: active) context, or null outside a trace. */
export function currentTraceparent(from: Context = context.active()): string | null {
  const carrier: Record<string, string> = {};
  // Our own propagator rather than the global one: the global one is a no-op unless an SDK or
  // installTraceContext() registered one, and a traceparent must not depend on boot order.
  w3cPropagator.inject(from, carrier, defaultTextMapSetter);

  return carrier[TRACEPARENT_HEADER] ?? null;
}

/** The context a remote `traceparent` describes, on top of the active one. */
export function extractTraceContext(traceparent: string | null | undefined): Context {
  const base = context.active();
  if (!traceparent) {
    return base;
  }

  return w3cPropagator.extract(base, { [TRACEPARENT_HEADER]: traceparent }, defaultTextMapGetter);
}

/**
 * Runs `fn` in a new span that continues the remote trace named by `traceparent` (a consumer
 * handling a message, say). Without a traceparent the span starts a trace of its own.
 */
export function withExtractedContext<T>(
  traceparent: string | null | undefined,
  fn: (span: Span) => Promise<T> | T,
  options: SpanRunOptions = {},
): Promise<T> {
  return runInSpan(extractTraceContext(traceparent), fn, {
    kind: SpanKind.CONSUMER,
    ...options,
    spanName: options.spanName ?? SpanNames.consume,
  });
}

/** Runs `fn` in a new child span of the active context. */
export function withSpan<T>(
  spanName: string,
  fn: (span: Span) => Promise<T> | T,
  options: Omit<SpanRunOptions, 'spanName'> = {},
): Promise<T> {
  return runInSpan(context.active(), fn, { ...options, spanName });
}

/** Trace and span ids of the active context, for a log line's fields object. */
export function traceLogFields(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getSpanContext(context.active());

  return spanContext ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : {};
}

async function runInSpan<T>(
  parent: Context,
  fn: (span: Span) => Promise<T> | T,
  options: SpanRunOptions & { spanName: string },
): Promise<T> {
  const tracer = trace.getTracer(options.tracerName ?? TracerNames.messaging);
  const span = tracer.startSpan(
    options.spanName,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    parent,
  );

  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorName(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }

  return error instanceof Error ? error.name : 'Error';
}
