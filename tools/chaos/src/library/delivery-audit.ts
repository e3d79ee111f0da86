/** An event as the audit sees it: its id and its place in its stream. */
export interface AuditedEvent {
  id: string;
  streamId: string;
  streamVersion: number;
}

/** What reached a topic, compared with what committed. */
export interface DeliveryAudit {
  /** Committed events. */
  expected: number;
  /** Committed events found on the topic at least once. */
  found: number;
  /**
   * Committed events a projection never applies: never delivered, or delivered only behind a
   * later version of their stream (its version check then skips them).
   */
  lost: number;
  /** Delivered but never committed (a rolled-back append, say). */
  extra: number;
  /** Records beyond the first of an event id. */
  duplicates: number;
  /** Records whose stream version is not the next of their stream where they appear. */
  outOfOrder: number;
  /**
   * Events a projection with a per-stream version check would apply more than once when fed the
   * records in order: it applies an event only if its version is above the last one applied.
   */
  appliedTwice: number;
  /** A few examples of what went wrong, for the log. */
  examples: string[];
}

const MAX_EXAMPLES = 5;

/**
 * Compares the records of a topic, in offset order per partition, with the committed events.
 * Records of one stream share a partition, so the order of `delivered` across partitions does
 * not matter; within a stream a version may repeat (a redelivery) but must never skip or go
 * back below one not yet seen.
 */
export function auditDelivery(
  committed: readonly AuditedEvent[],
  delivered: readonly AuditedEvent[],
): DeliveryAudit {
  const examples: string[] = [];
  const note = (text: string) => examples.length < MAX_EXAMPLES && examples.push(text);
  const committedIds = new Set(committed.map((event) => event.id));
  const seen = new Set<string>();
  const highest = new Map<string, number>();
  const applications = new Map<string, number>();
  let duplicates = 0;
  let outOfOrder = 0;
  let extra = 0;
  for (const event of delivered) {
    const firstTime = !seen.has(event.id);
    if (!firstTime) {
      duplicates += 1;
    } else if (!committedIds.has(event.id)) {
      extra += 1;
      note(`delivered but not committed: ${event.id}`);
    }
    seen.add(event.id);
    const last = highest.get(event.streamId) ?? 0;
    if (event.streamVersion > last + 1 || (firstTime && event.streamVersion <= last)) {
      outOfOrder += 1;
      note(`${event.streamId}: version ${event.streamVersion} after ${last}`);
    }
    if (event.streamVersion > last) {
      highest.set(event.streamId, event.streamVersion);
      applications.set(event.id, (applications.get(event.id) ?? 0) + 1);
    }
  }
  const missing = committed.filter((event) => !seen.has(event.id));
  missing.slice(0, MAX_EXAMPLES).forEach((event) => note(`never delivered: ${event.id}`));
  const lost = committed.filter((event) => !applications.has(event.id)).length;

  return {
    expected: committed.length,
    found: committed.length - missing.length,
    lost,
    extra,
    duplicates,
    outOfOrder,
    appliedTwice: [...applications.values()].filter((count) => count > 1).length,
    examples,
  };
}
