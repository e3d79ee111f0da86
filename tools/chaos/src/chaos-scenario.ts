import { ChaosFigures } from './chaos-figures';

/**
 * `short` runs in `npm test` (seconds, few faults); `full` is what `npm run chaos` runs (more
 * load, more faults, minutes). Both check the same guarantee.
 */
export type ChaosScale = 'short' | 'full';

export interface ChaosScenario {
  /** Number in the list of guarantees (1-10). */
  id: number;
  name: string;
  run(scale: ChaosScale): Promise<ChaosFigures>;
}
