import { PipelineSummaryView } from '@relate/contracts';

import { RelateClient } from './relate.client';

export interface SummaryWait {
  summary?: PipelineSummaryView;
  /** Every stage counts at least the deals the import put there. */
  complete: boolean;
  waitedMs: number;
}

/**
 * Polls the pipeline summary until the read model has seen every imported deal in its final
 * stage. The read model is fed from Kafka, so it trails the last command by a little.
 */
export async function waitForSummary(
  client: RelateClient,
  pipelineId: string,
  expected: Record<string, number>,
  options: { timeoutMs: number; pollMs?: number; now?: () => number },
): Promise<SummaryWait> {
  const now = options.now ?? (() => Date.now());
  const startedAt = now();
  let summary: PipelineSummaryView | undefined;
  for (;;) {
    summary = await client.get<PipelineSummaryView>(`/pipelines/${pipelineId}/summary`);
    const complete = summary !== undefined && covers(summary, expected);
    const waitedMs = now() - startedAt;
    if (complete || waitedMs >= options.timeoutMs) return { summary, complete, waitedMs };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}

function covers(summary: PipelineSummaryView, expected: Record<string, number>): boolean {
  return Object.entries(expected).every(([name, count]) => {
    const stage = summary.stages.find((s) => s.name === name);

    return (stage?.dealCount ?? 0) >= count;
  });
}
