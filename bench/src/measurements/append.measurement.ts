import { Measurement } from '../harness/bench-types';
import { APPEND_CONCURRENCY, appendContest } from '../support/append-contest';
import { p99s, pairedFigure, rates } from '../support/interleaved-load';

const baseline = 'raw node-pg single-row insert';

export const appendMeasurement: Measurement = {
  id: 1,
  title: 'Single-event append',
  run: async (context) => {
    const { relate, raw, table } = await appendContest(context);

    return {
      figures: [
        pairedFigure(
          {
            what: `appends/s, 1 event with an expected version, ${APPEND_CONCURRENCY} in flight`,
            unit: 'appends/s',
            target: { on: 'ratio', atLeast: 0.6 },
          },
          rates(relate),
          { name: baseline, rounds: rates(raw) },
        ),
        pairedFigure(
          { what: 'p99 latency of an append', unit: 'ms', target: { on: 'ratio', atMost: 2 } },
          p99s(relate),
          { name: baseline, rounds: p99s(raw) },
        ),
      ],
      tables: [table],
      notes: [
        'Each worker appends to streams of its own (1,024 streams in all), stating the version ' +
          'it last saw, as a command handler does; the baseline inserts the same row into a copy ' +
          "of the store's events table made by the store's own migration (same columns, " +
          'defaults, unique and relay indexes) and does nothing else.',
        'Beyond that insert, an append of the store does, in the same single statement and ' +
          "transaction: a compare-and-set of the stream's version in `streams` (an insert for " +
          'a new stream, an update otherwise), and `pg_notify` on the schema channel so the ' +
          'relay wakes at once. The events table is also the outbox, so there is no second ' +
          'outbox write. In the process: validation, a UUID v7 and the JSON of the payload ' +
          '(the baseline does the last two as well).',
      ],
    };
  },
};
