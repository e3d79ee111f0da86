import {
  Context,
  TextMapGetter,
  TextMapPropagator,
  TextMapSetter,
  createTraceState,
  trace,
} from '@opentelemetry/api';

import { formatTraceparent, parseTraceparent } from './traceparent';

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

/**
 * W3C Trace Context propagation for @opentelemetry/api. The API package registers no
 * propagator of its own (the SDK's lives in @opentelemetry/core, which we do not depend on),
 * so without this class `propagation.inject` writes nothing.
 */
export class W3CTraceContextPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    const traceparent = spanContext ? formatTraceparent(spanContext) : null;
    if (!spanContext || !traceparent) {
      return;
    }
    setter.set(carrier, TRACEPARENT_HEADER, traceparent);
    const traceState = spanContext.traceState?.serialize();
    if (traceState) {
      setter.set(carrier, TRACESTATE_HEADER, traceState);
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const spanContext = parseTraceparent(firstValue(getter.get(carrier, TRACEPARENT_HEADER)));
    if (!spanContext) {
      return context;
    }
    const traceState = firstValue(getter.get(carrier, TRACESTATE_HEADER));
    if (traceState) {
      spanContext.traceState = createTraceState(traceState);
    }

    return trace.setSpanContext(context, spanContext);
  }

  fields(): string[] {
    return [TRACEPARENT_HEADER, TRACESTATE_HEADER];
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
