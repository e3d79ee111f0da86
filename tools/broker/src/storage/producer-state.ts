import { ErrorCode } from '../protocol/api-keys';
import { BatchHeader } from '../protocol/record-batch';

/** How many recent batches per producer Kafka remembers for duplicate detection. */
const RECENT_BATCHES = 5;
const MAX_SEQUENCE = 2 ** 31 - 1;

interface RecentBatch {
  firstSequence: number;
  lastSequence: number;
  baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  recent: RecentBatch[];
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'reject'; error: ErrorCode };

/**
 * Idempotent-producer bookkeeping for one partition: a retried batch is answered with its
 * original offset instead of being appended twice. Rebuilt from the log at startup, so a
 * producer can keep its id and sequence numbers across a broker restart.
 */
export class ProducerStateTable {
  private readonly producers = new Map<bigint, ProducerEntry>();

  check(header: BatchHeader): SequenceCheck {
    if (header.producerId < 0n) {
      return { kind: 'append' };
    }
    const entry = this.producers.get(header.producerId);
    if (!entry) {
      return { kind: 'append' };
    }
    if (header.producerEpoch < entry.epoch) {
      return { kind: 'reject', error: ErrorCode.InvalidProducerEpoch };
    }
    if (header.producerEpoch > entry.epoch) {
      return header.baseSequence === 0
        ? { kind: 'append' }
        : { kind: 'reject', error: ErrorCode.OutOfOrderSequenceNumber };
    }
    const lastSequence = lastSequenceOf(header);
    const duplicate = entry.recent.find(
      (batch) => batch.firstSequence === header.baseSequence && batch.lastSequence === lastSequence,
    );
    if (duplicate) {
      return { kind: 'duplicate', baseOffset: duplicate.baseOffset };
    }
    const latest = entry.recent[entry.recent.length - 1];
    if (latest && header.baseSequence !== nextSequence(latest.lastSequence)) {
      return { kind: 'reject', error: ErrorCode.OutOfOrderSequenceNumber };
    }

    return { kind: 'append' };
  }

  record(header: BatchHeader, baseOffset: number): void {
    if (header.producerId < 0n) {
      return;
    }
    let entry = this.producers.get(header.producerId);
    if (!entry || header.producerEpoch > entry.epoch) {
      entry = { epoch: header.producerEpoch, recent: [] };
      this.producers.set(header.producerId, entry);
    }
    entry.recent.push({
      firstSequence: header.baseSequence,
      lastSequence: lastSequenceOf(header),
      baseOffset,
    });
    if (entry.recent.length > RECENT_BATCHES) {
      entry.recent.shift();
    }
  }

  highestProducerId(): bigint {
    let highest = -1n;
    for (const id of this.producers.keys()) {
      highest = id > highest ? id : highest;
    }

    return highest;
  }
}

function lastSequenceOf(header: BatchHeader): number {
  return (header.baseSequence + header.lastOffsetDelta) % (MAX_SEQUENCE + 1);
}

function nextSequence(sequence: number): number {
  return sequence === MAX_SEQUENCE ? 0 : sequence + 1;
}
