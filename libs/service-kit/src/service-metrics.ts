import { OutboxRelayMetrics } from '@relate/event-store';
import { MetricsRegistry } from '@relate/observability';

/** The outbox relay's metrics, labelled by relay (its topic), in the service's registry. */
export function outboxRelayMetrics(registry: MetricsRegistry): OutboxRelayMetrics {
  const relayed = registry.counter(
    'relate_outbox_events_relayed',
    'Events the outbox relay published to Kafka.',
  );
  const waiting = registry.gauge(
    'relate_outbox_events_waiting',
    'Committed events in the outbox not yet published.',
  );
  const heldBack = registry.gauge(
    'relate_outbox_events_held_back',
    'Committed events an older, still open transaction keeps from being published.',
  );
  const age = registry.gauge(
    'relate_outbox_hold_back_age_seconds',
    'Age of the oldest open transaction holding back committed events; 0 when none.',
  );

  return {
    // 0 declares the relay's series before its first event.
    relayed: (relay, events) =>
      events === 0 ? relayed.declare({ relay }) : relayed.add(events, { relay }),
    waiting: (relay, events, held) => {
      waiting.set(events, { relay });
      heldBack.set(held, { relay });
    },
    holdBackAge: (relay, seconds) => age.set(seconds, { relay }),
  };
}
