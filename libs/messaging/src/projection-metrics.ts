import { CounterMetric, MetricsRegistry } from '@relate/observability';

import { PARK_REASONS, ParkReason } from './parked-events';

/** The counters a ProjectionRunner keeps, labelled by projection. */
export class ProjectionMetrics {
  private readonly appliedEvents: CounterMetric;
  private readonly skippedEvents: CounterMetric;
  private readonly parkedEvents: CounterMetric;

  constructor(registry: MetricsRegistry) {
    this.appliedEvents = registry.counter(
      'relate_projection_events_applied',
      'Events a projection or reactor applied.',
    );
    this.skippedEvents = registry.counter(
      'relate_projection_events_skipped',
      'Events a projection had applied already (redeliveries), skipped.',
    );
    this.parkedEvents = registry.counter(
      'relate_projection_events_parked',
      'Events a projection parked, by reason (failed, undecodable, waiting behind one parked).',
    );
  }

  /** The projection's series, at 0 until its first event. */
  declare(projection: string): void {
    this.appliedEvents.declare({ projection });
    this.skippedEvents.declare({ projection });
    for (const reason of PARK_REASONS) {
      this.parkedEvents.declare({ projection, reason });
    }
  }

  applied(projection: string): void {
    this.appliedEvents.add(1, { projection });
  }

  skipped(projection: string): void {
    this.skippedEvents.add(1, { projection });
  }

  parked(projection: string, reason: ParkReason): void {
    this.parkedEvents.add(1, { projection, reason });
  }
}
