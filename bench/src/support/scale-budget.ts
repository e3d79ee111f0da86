import { BenchScale } from '../harness/bench-types';
import { sizeLabel } from './data-sizes';

/**
 * The time a measurement that grows its data may take. Each next size is tried only if, at the
 * rate the sizes before it were loaded and caught up, it fits into what is left; the sizes that
 * do not are reported with the time they would have needed, never silently left out.
 */
export class ScaleBudget {
  private readonly started = Date.now();
  /** Deals per second until complete, of the last step. */
  private rate?: number;

  constructor(readonly budgetMs: number) {}

  get remainingMs(): number {
    return this.budgetMs - (Date.now() - this.started);
  }

  /** Records a finished step: `deals` added, complete after `ms`. */
  observe(deals: number, ms: number): void {
    this.rate = deals / (ms / 1000);
  }

  /** The time `deals` more would take at the last rate; undefined before the first step. */
  projectedMs(deals: number): number | undefined {
    return this.rate === undefined ? undefined : (deals / this.rate) * 1000;
  }

  /** Whether `deals` more fit, keeping `reserveMs` for what follows the load (queries). */
  fits(deals: number, reserveMs = 0): boolean {
    const projected = this.projectedMs(deals);

    return projected === undefined || projected + reserveMs <= this.remainingMs;
  }

  /** Why a size was not loaded: the time it would have taken at the rate measured before. */
  leftOut(size: number, deals: number): string {
    const projected = this.projectedMs(deals);
    const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
    if (projected === undefined) return `${sizeLabel(size)}: not loaded, a step before it failed`;
    const rate = `${Math.round((deals / projected) * 1000)} deals/s`;

    return (
      `${sizeLabel(size)}: not loaded; ${deals} more deals at ${rate} would take ` +
      `${minutes(projected)}, ${minutes(Math.max(0, this.remainingMs))} of the budget left`
    );
  }
}

/**
 * The budget of a measurement that grows its data: at full scale `fullMinutes`, or the minutes
 * of `variable` where it is set; a minute at smoke scale.
 */
export function scaleBudget(scale: BenchScale, variable: string, fullMinutes: number): ScaleBudget {
  return new ScaleBudget(scale === 'full' ? minutesFrom(variable, fullMinutes) : 60_000);
}

/** Minutes from an environment variable (e.g. `RELATE_BENCH_IMPORT_MINUTES=20`), else a default. */
export function minutesFrom(variable: string, defaultMinutes: number): number {
  const minutes = Number(process.env[variable] ?? defaultMinutes);
  if (!Number.isFinite(minutes) || minutes <= 0) {
    throw new Error(`${variable} must be a positive number of minutes`);
  }

  return minutes * 60_000;
}
