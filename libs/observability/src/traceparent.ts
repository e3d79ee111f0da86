import { SpanContext, TraceFlags, isSpanContextValid } from '@opentelemetry/api';

const HEX = /^[0-9a-f]+$/;
const SUPPORTED_VERSION = '00';

/**
 * Parses a W3C `traceparent` header (https://www.w3.org/TR/trace-context/#traceparent-header).
 * Returns null for anything malformed, as the spec asks receivers to restart the trace then.
 */
export function parseTraceparent(value: string | null | undefined): SpanContext | null {
  if (!value) {
    return null;
  }
  const header = value.trim();
  const [version, traceId, spanId, flags] = header.split('-');
  if (!version || version.length !== 2 || !HEX.test(version) || version === 'ff') {
    return null;
  }
  // Version 00 has exactly four fields; later versions may append fields after a dash.
  const wellSized = version === SUPPORTED_VERSION ? header.length === 55 : header.length >= 55;
  if (!wellSized || (header.length > 55 && header[55] !== '-')) {
    return null;
  }
  if (!isLowerHex(traceId, 32) || !isLowerHex(spanId, 16) || !isLowerHex(flags, 2)) {
    return null;
  }
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };

  return isSpanContextValid(spanContext) ? spanContext : null;
}

/** Formats a span context as a version 00 `traceparent`, or null if the context is invalid. */
export function formatTraceparent(spanContext: SpanContext): string | null {
  if (!isSpanContextValid(spanContext)) {
    return null;
  }
  const flags = (spanContext.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');

  return `${SUPPORTED_VERSION}-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** The trace id inside a `traceparent`, for log fields; null if malformed. */
export function traceIdOf(traceparent: string | null | undefined): string | null {
  return parseTraceparent(traceparent)?.traceId ?? null;
}

function isLowerHex(value: string | undefined, length: number): value is string {
  return value !== undefined && value.length === length && HEX.test(value);
}
