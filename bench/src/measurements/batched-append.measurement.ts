import { PostgresEventStore } from '@relate/event-store';

import { Measurement } from '../harness/bench-types';
import { benchContext, DEAL_STREAM_TYPE, dealMovedEvent } from '../support/append-payload';
import {
  interleavedLoad,
  p99s,
  pairedFigure,
  rates,
  roundsTable,
} from '../support/interleaved-load';
import { RawEventTable } from '../support/raw-event-insert';
import { withScratchDatabase } from '../support/scratch-database';
import { KnownStream, WorkerStreams } from '../support/worker-streams';

const BATCH = 100;
// As measurement 1, so the two compare; 100 events each.
const CONCURRENCY = 16;
const STREAMS_PER_WORKER = 8;
const baseline = `plain ${BATCH}-row insert`;

const batchOf = (stream: KnownStream) =>
  Array.from({ length: BATCH }, (_, index) =>
    dealMovedEvent(stream.streamId, stream.version + index + 1),
  );

export const batchedAppendMeasurement: Measurement = {
  id: 2,
  title: 'Batched append (100 events)',
  run: (context) =>
    withScratchDatabase(context.servers.databaseUrl, 'bench_batched', async (database) => {
      const store = new PostgresEventStore(await database.openPool(CONCURRENCY), {
        schema: 'relate',
      });
      await store.migrate();
      const raw = await RawEventTable.create(await database.openPool(CONCURRENCY), 'raw');
      const relateStreams = new WorkerStreams('import-relate', CONCURRENCY, STREAMS_PER_WORKER);
      const rawStreams = new WorkerStreams('import-raw', CONCURRENCY, STREAMS_PER_WORKER);
      const samples = await interleavedLoad(context, CONCURRENCY, {
        relate: async (worker) => {
          const stream = relateStreams.next(worker);
          await store.append(stream.streamId, DEAL_STREAM_TYPE, batchOf(stream), {
            expectedVersion: stream.version,
            context: benchContext,
          });
          relateStreams.appended(stream, BATCH);
        },
        raw: async (worker) => {
          const stream = rawStreams.next(worker);
          const rows = batchOf(stream).map((event, index) => ({
            streamId: stream.streamId,
            streamType: DEAL_STREAM_TYPE,
            version: stream.version + index + 1,
            event,
          }));
          await raw.insertMany(rows, benchContext);
          rawStreams.appended(stream, BATCH);
        },
      });
      const eventRates = (rounds: number[]) => rounds.map((rate) => rate * BATCH);

      return {
        figures: [
          pairedFigure(
            {
              what: `events/s, ${BATCH} events an append, ${CONCURRENCY} in flight`,
              unit: 'events/s',
              target: { on: 'ratio', atLeast: 0.6 },
            },
            eventRates(rates(samples.relate)),
            { name: baseline, rounds: eventRates(rates(samples.raw)) },
          ),
          pairedFigure({ what: 'p99 latency of an append', unit: 'ms' }, p99s(samples.relate), {
            name: baseline,
            rounds: p99s(samples.raw),
          }),
        ],
        tables: [
          roundsTable(
            `${BATCH} events an append, ${CONCURRENCY} in flight, round by round`,
            [
              { name: 'Relate', samples: samples.relate },
              { name: 'plain insert', samples: samples.raw },
            ],
            BATCH,
          ),
        ],
        notes: [
          `Each append carries ${BATCH} events for one stream (as an import does) with an ` +
            'expected version; the store sends them as one statement (columns as arrays ' +
            "through `unnest`, with the stream's compare-and-set), the baseline as one insert " +
            `of the same ${BATCH} rows, columns as arrays through \`unnest\` too (the cheapest ` +
            'plain multi-row insert we know: a `VALUES` list with a parameter for each of the ' +
            "1,400 values came out slower than the store itself), into a copy of the store's " +
            "events table made by the store's own migration, with nothing else. The baseline " +
            'sends what all events of an append share (tenant, actor, correlation) once a ' +
            'row, the store once an append, which is why it can come out ahead.',
        ],
      };
    }),
};
