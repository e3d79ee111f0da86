import {
  ROOT_CONTEXT,
  SpanStatusCode,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  trace,
} from '@opentelemetry/api';

import { RecordingTracerProvider } from './recording-tracer';
import { SpanNames } from './telemetry-names';
import {
  currentTraceparent,
  installTraceContext,
  traceLogFields,
  withExtractedContext,
  withSpan,
} from './tracing';
import { W3CTraceContextPropagator } from './w3c-trace-context.propagator';

const REMOTE_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const REMOTE_SPAN_ID = '00f067aa0ba902b7';
const REMOTE = `00-${REMOTE_TRACE_ID}-${REMOTE_SPAN_ID}-01`;

describe(W3CTraceContextPropagator.name, () => {
  const sut = new W3CTraceContextPropagator();

  it('injects what it extracted, tracestate included', () => {
    const incoming = { traceparent: REMOTE, tracestate: 'vendor=value' };
    const extracted = sut.extract(ROOT_CONTEXT, incoming, defaultTextMapGetter);
    const outgoing: Record<string, string> = {};

    sut.inject(extracted, outgoing, defaultTextMapSetter);

    expect(outgoing).toEqual(incoming);
  });

  it('leaves the context alone when the carrier has no valid traceparent', () => {
    const extracted = sut.extract(ROOT_CONTEXT, { traceparent: 'nope' }, defaultTextMapGetter);

    expect(trace.getSpanContext(extracted)).toBeUndefined();
  });
});

describe('tracing helpers', () => {
  const provider = new RecordingTracerProvider();

  beforeAll(() => {
    installTraceContext();
    provider.register();
  });

  afterAll(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });

  beforeEach(() => {
    provider.spans.length = 0;
  });

  it('reports no traceparent outside a span', () => {
    expect(currentTraceparent()).toBeNull();
  });

  it('continues the remote trace in a consumer span, across awaits', async () => {
    const seen = await withExtractedContext(REMOTE, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));

      return currentTraceparent();
    });

    const [span] = provider.spans;
    expect(span).toMatchObject({ name: SpanNames.consume, parentSpanId: REMOTE_SPAN_ID });
    expect(span.spanContext.traceId).toBe(REMOTE_TRACE_ID);
    expect(seen).toBe(`00-${REMOTE_TRACE_ID}-${span.spanContext.spanId}-01`);
    expect(span.ended).toBe(true);
  });

  it('starts a trace of its own without a traceparent', async () => {
    await withExtractedContext(null, () => undefined);

    expect(provider.spans[0].parentSpanId).toBeNull();
    expect(provider.spans[0].spanContext.traceId).not.toBe(REMOTE_TRACE_ID);
  });

  it('nests withSpan under the active span and exposes ids for log fields', async () => {
    const fields = await withExtractedContext(REMOTE, () =>
      withSpan('relate.test.inner', () => traceLogFields()),
    );

    const [outer, inner] = provider.spans;
    expect(inner.parentSpanId).toBe(outer.spanContext.spanId);
    expect(fields).toEqual({ traceId: REMOTE_TRACE_ID, spanId: inner.spanContext.spanId });
  });

  it('records a failure on the span and rethrows it', async () => {
    const failing = withExtractedContext(REMOTE, () => {
      throw new Error('boom');
    });

    await expect(failing).rejects.toThrow('boom');
    expect(provider.spans[0]).toMatchObject({
      exceptions: ['boom'],
      status: { code: SpanStatusCode.ERROR },
    });
  });
});
