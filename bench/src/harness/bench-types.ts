import { Logger } from '@nestjs/common';

import { StandaloneServers } from '@relate/testing';

import type { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';

/** `smoke`: seconds a measurement, so that `npm test` keeps it working; `full`: the report. */
export type BenchScale = 'smoke' | 'full';

/**
 * What a figure must reach. `on: 'ratio'` judges Relate's value divided by the baseline's,
 * `on: 'value'` judges Relate's value itself (in the figure's unit).
 */
export interface Target {
  on: 'ratio' | 'value';
  atLeast?: number;
  atMost?: number;
}

/** One figure of Relate's, next to the same figure of its baseline where it has one. */
export interface Figure {
  /** What was measured, e.g. `appends/s, 16 in flight`. */
  what: string;
  unit: string;
  /** Relate's figure: the median of the rounds. */
  value: number;
  /** The same figure of the baseline, measured in the same run, rounds interleaved. */
  baseline?: { name: string; value: number; rounds?: number[] };
  target?: Target;
  /** Relate's value in each round, for the JSON. */
  rounds?: number[];
}

/** A table of detail under a measurement's section: growth with the data, per service. */
export interface DetailTable {
  title: string;
  header: string[];
  rows: Array<Array<string | number>>;
}

export interface MeasurementResult {
  figures: Figure[];
  tables?: DetailTable[];
  /** Markdown paragraphs: what the figures mean, the cause of a missed target. */
  notes?: string[];
}

/** What every measurement gets from the run. */
export interface BenchContext {
  scale: BenchScale;
  /** Rounds of interleaved pairs: 1 in a smoke run, more in a full one. */
  rounds: number;
  /** PostgreSQL and the broker for measurements of the libraries (no services). */
  servers: StandaloneServers;
  /**
   * Relate as `npm start` runs it (embedded PostgreSQL, broker, six services as processes),
   * started on first use and shared by the measurements that only send commands and queries.
   */
  system(): Promise<ChaosStack>;
  /** A system of its own, stopped by the run at the end, for a measurement that needs it fresh. */
  freshSystem(label: string): Promise<ChaosStack>;
  logger: Logger;
}

export interface Measurement {
  /** Number in the list (1-12); the report's order. */
  id: number;
  title: string;
  run(context: BenchContext): Promise<MeasurementResult>;
}

/** Whether a figure reached its target; undefined when it has none (or no baseline to judge). */
export function targetMet(figure: Figure): boolean | undefined {
  const { target } = figure;
  if (!target) {
    return undefined;
  }
  const judged = target.on === 'ratio' ? ratioOf(figure) : figure.value;
  if (judged === undefined || !Number.isFinite(judged)) {
    return false;
  }

  return (
    (target.atLeast === undefined || judged >= target.atLeast) &&
    (target.atMost === undefined || judged <= target.atMost)
  );
}

/** Relate's value over the baseline's. */
export function ratioOf(figure: Figure): number | undefined {
  return figure.baseline ? figure.value / figure.baseline.value : undefined;
}
