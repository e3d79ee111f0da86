import { Measurement } from '../harness/bench-types';
import { APPEND_CONCURRENCY, appendContest } from '../support/append-contest';
import { p99s, pairedFigure, rates } from '../support/interleaved-load';

const peer = '@event-driven-io/emmett-postgresql';

export const peerAppendMeasurement: Measurement = {
  id: 3,
  title: 'Peer event store (emmett-postgresql)',
  run: async (context) => {
    const { relate, peer: emmett } = await appendContest(context);

    return {
      figures: [
        pairedFigure(
          {
            what: `appends/s, 1 event with an expected version, ${APPEND_CONCURRENCY} in flight`,
            unit: 'appends/s',
            target: { on: 'ratio', atLeast: 1.5 },
          },
          rates(relate),
          { name: peer, rounds: rates(emmett) },
        ),
        pairedFigure({ what: 'p99 latency of an append', unit: 'ms' }, p99s(relate), {
          name: peer,
          rounds: p99s(emmett),
        }),
      ],
      notes: [
        'The rounds of measurement 1: Relate, the raw insert and emmett interleaved three ways ' +
          'on one database, each on a pool of its own with as many connections as appends in ' +
          'flight (so this section takes no time of its own when 1 ran first). Emmett gets the ' +
          "same payload, the command's metadata in its event metadata, and the same expected " +
          'versions; an append of emmett is a transaction of three statements (BEGIN, its ' +
          '`emt_append_to_stream` function, COMMIT) where Relate sends one.',
      ],
    };
  },
};
