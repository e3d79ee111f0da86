import { ChaosFigures, figuresTable } from './chaos-figures';

/** Figures with the scenario's own expectations that did not hold (empty when all did). */
export interface CheckedFigures extends ChaosFigures {
  problems: string[];
}

/** The expectations among `checks` that failed, by their description. */
export function problemsOf(checks: Record<string, boolean>): string[] {
  return Object.entries(checks)
    .filter(([, held]) => !held)
    .map(([description]) => description);
}

/**
 * What `npm run chaos` gets: the figures, or an error carrying them when a scenario-specific
 * expectation failed (nothing lost or doubled is not all a scenario promises).
 */
export function failOnProblems<T extends CheckedFigures>(figures: T): T {
  if (figures.problems.length > 0) {
    throw new Error(
      `scenario ${figures.scenario}: ${figures.problems.join('; ')}\n${figuresTable([figures])}`,
    );
  }

  return figures;
}
