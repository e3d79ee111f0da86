/** A stream as one worker of a load knows it: the version its last append left. */
export interface KnownStream {
  streamId: string;
  version: number;
}

/**
 * Many streams, as commands append to many aggregates, dealt out to the workers of a load so
 * that no two appends to one stream are ever in flight together: each worker goes round its
 * own streams and knows their versions, so every append can state the version it expects.
 */
export class WorkerStreams {
  private readonly streams: KnownStream[][];
  private readonly cursors: number[];

  constructor(prefix: string, workers: number, streamsPerWorker: number) {
    this.streams = Array.from({ length: workers }, (_, worker) =>
      Array.from({ length: streamsPerWorker }, (_, index) => ({
        streamId: `${prefix}-${worker}-${index}`,
        version: 0,
      })),
    );
    this.cursors = this.streams.map(() => 0);
  }

  /** The worker's next stream; call `appended` on it once the append succeeded. */
  next(worker: number): KnownStream {
    const own = this.streams[worker];
    const stream = own[this.cursors[worker] % own.length];
    this.cursors[worker] += 1;

    return stream;
  }

  appended(stream: KnownStream, events: number): void {
    stream.version += events;
  }
}
