import { randomBytes } from 'node:crypto';

import {
  Attributes,
  AttributeValue,
  Context,
  Link,
  Span,
  SpanContext,
  SpanKind,
  SpanOptions,
  SpanStatus,
  SpanStatusCode,
  TraceFlags,
  Tracer,
  TracerProvider,
  context as contextApi,
  trace,
} from '@opentelemetry/api';

/** What a RecordingTracerProvider remembers about one span. */
export interface RecordedSpan {
  name: string;
  kind: SpanKind;
  spanContext: SpanContext;
  parentSpanId: string | null;
  attributes: Attributes;
  status: SpanStatus;
  exceptions: string[];
  ended: boolean;
}

/**
 * A tracer provider that keeps every span in memory, for tests that assert spans without an
 * OpenTelemetry SDK (STYLE.md, rule 13: in-memory exporters in integration tests). Not for
 * production: it samples everything and never forgets.
 */
export class RecordingTracerProvider implements TracerProvider {
  readonly spans: RecordedSpan[] = [];

  getTracer(): Tracer {
    return new RecordingTracer(this.spans);
  }

  /** Registers this provider as the process-wide one; returns false if one is registered. */
  register(): boolean {
    return trace.setGlobalTracerProvider(this);
  }
}

class RecordingTracer implements Tracer {
  constructor(private readonly spans: RecordedSpan[]) {}

  startSpan(name: string, options: SpanOptions = {}, parentContext?: Context): Span {
    const parent = options.root
      ? undefined
      : trace.getSpanContext(parentContext ?? contextApi.active());
    const record: RecordedSpan = {
      name,
      kind: options.kind ?? SpanKind.INTERNAL,
      spanContext: {
        traceId: parent?.traceId ?? randomBytes(16).toString('hex'),
        spanId: randomBytes(8).toString('hex'),
        traceFlags: TraceFlags.SAMPLED,
        traceState: parent?.traceState,
      },
      parentSpanId: parent?.spanId ?? null,
      attributes: { ...options.attributes },
      status: { code: SpanStatusCode.UNSET },
      exceptions: [],
      ended: false,
    };
    this.spans.push(record);

    return new RecordingSpan(record);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    context: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...args: unknown[]) {
    const fn = args[args.length - 1] as F;
    const options = (args.length > 1 ? args[0] : {}) as SpanOptions;
    const parent = (args.length > 2 ? args[1] : contextApi.active()) as Context;
    const span = this.startSpan(name, options, parent);

    return contextApi.with(trace.setSpan(parent, span), () => fn(span)) as ReturnType<F>;
  }
}

class RecordingSpan implements Span {
  constructor(private readonly record: RecordedSpan) {}

  spanContext(): SpanContext {
    return this.record.spanContext;
  }

  setAttribute(key: string, value: AttributeValue): this {
    this.record.attributes[key] = value;

    return this;
  }

  setAttributes(attributes: Attributes): this {
    Object.assign(this.record.attributes, attributes);

    return this;
  }

  addEvent(): this {
    return this;
  }

  addLink(_link: Link): this {
    return this;
  }

  addLinks(_links: Link[]): this {
    return this;
  }

  setStatus(status: SpanStatus): this {
    this.record.status = status;

    return this;
  }

  updateName(name: string): this {
    this.record.name = name;

    return this;
  }

  end(): void {
    this.record.ended = true;
  }

  isRecording(): boolean {
    return !this.record.ended;
  }

  recordException(exception: unknown): void {
    this.record.exceptions.push(exception instanceof Error ? exception.message : String(exception));
  }
}
