import { Measurement } from '../harness/bench-types';
import { appendContest, contestFigures } from '../support/append-contest';

export const peerAppendMeasurement: Measurement = {
  id: 3,
  title: 'Peer event store (emmett-postgresql)',
  run: async (context) => {
    const { relate, peer: emmett } = await appendContest(context);

    return {
      figures: contestFigures(
        relate,
        { name: '@event-driven-io/emmett-postgresql', samples: emmett },
        { rate: { on: 'ratio', atLeast: 1.5 } },
      ),
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
