import { TraceFlags } from '@opentelemetry/api';

import { formatTraceparent, parseTraceparent, traceIdOf } from './traceparent';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('parseTraceparent', () => {
  it('reads trace id, span id and the sampled flag of a version 00 header', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-01`)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
  });

  it('accepts a later version with extra fields after a dash', () => {
    expect(parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-00-what-the-future-holds`)?.traceId).toBe(
      TRACE_ID,
    );
  });

  it.each([
    ['empty', ''],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['a version 00 header with extra fields', `00-${TRACE_ID}-${SPAN_ID}-01-extra`],
    ['non-hex flags', `00-${TRACE_ID}-${SPAN_ID}-zz`],
  ])('rejects %s', (_label, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });
});

describe('formatTraceparent', () => {
  it('writes what parseTraceparent reads', () => {
    const header = `00-${TRACE_ID}-${SPAN_ID}-01`;

    expect(formatTraceparent(parseTraceparent(header)!)).toBe(header);
  });

  it('returns null for an invalid span context', () => {
    expect(
      formatTraceparent({ traceId: '0'.repeat(32), spanId: SPAN_ID, traceFlags: 0 }),
    ).toBeNull();
  });
});

describe('traceIdOf', () => {
  it('returns the trace id, or null for garbage', () => {
    expect(traceIdOf(`00-${TRACE_ID}-${SPAN_ID}-00`)).toBe(TRACE_ID);
    expect(traceIdOf('garbage')).toBeNull();
  });
});
