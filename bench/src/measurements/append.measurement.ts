import { Measurement } from '../harness/bench-types';
import { appendContest, contestFigures } from '../support/append-contest';

export const appendMeasurement: Measurement = {
  id: 1,
  title: 'Single-event append',
  run: async (context) => {
    const { relate, raw, table } = await appendContest(context);

    return {
      figures: contestFigures(
        relate,
        { name: 'raw node-pg single-row insert', samples: raw },
        { rate: { on: 'ratio', atLeast: 0.6 }, p99: { on: 'ratio', atMost: 2 } },
      ),
      tables: [table],
      notes: [
        'Each worker appends to streams of its own (1,024 streams in all), stating the version ' +
          'it last saw, as a command handler does; the baseline inserts the same row into a copy ' +
          "of the store's events table made by the store's own migration (same columns, " +
          'defaults, unique and relay indexes) and does nothing else.',
        'Beyond that insert, an append of the store does, in the same single statement and ' +
          "transaction: a compare-and-set of the stream's version in `streams` (an insert for " +
          'a new stream, an update otherwise). The events table is also the outbox, so there ' +
          'is no second outbox write. After the commit, a NOTIFY wakes the relay, one at a time ' +
          'for all appends that committed meanwhile, in a transaction that does not wait for ' +
          'the disk: inside the append it would hold a cluster-wide lock until the commit is ' +
          'flushed, so appends would reach the disk one by one instead of sharing flushes. In ' +
          'the process: validation, a UUID v7 and the JSON of the payload (the baseline does ' +
          'the last two as well).',
      ],
    };
  },
};
