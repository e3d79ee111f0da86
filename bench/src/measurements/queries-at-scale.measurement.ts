import { Pool } from 'pg';

import { DetailTable, Figure, Measurement } from '../harness/bench-types';
import { percentile } from '../harness/stats';
import { generatedSetFor, generateTables } from '../data/crm-generator';
import {
  BudgetedGrowth,
  GeneratedGrowth,
  GrowthStep,
  growWithinBudget,
} from '../data/generated-growth';
import { readMavenModel } from '../data/maven-data-set';
import { QueryIds, queryIdsOf, SCALE_QUERIES, ScaleQuery } from '../data/scale-queries';
import { sizeLabel, sizesFrom } from '../support/data-sizes';
import { logLogSlope, perTenfold } from '../support/growth';
import { sampleLatencies, SampleBudget } from '../support/latency-sampler';
import { scaleBudget } from '../support/scale-budget';
import type { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';

/** Not the import's seed: in a smoke run both sets share one system. */
const QUERY_SEED = 11;
/** Time kept for the queries at a size after its load (a full run's sampling budget). */
const QUERY_RESERVE_MS = 90_000;
/** Targets of this measurement's own (the issue names none), per tenfold of data. */
const TARGET_SLOPE = { page: 0.3, aggregate: 1 } as const;

interface Latencies {
  p50: number;
  p99: number;
  samples: number;
}

interface Observation {
  query: ScaleQuery;
  size: number;
  relate?: Latencies;
  baseline?: Latencies;
  error?: string;
}

export const queriesAtScaleMeasurement: Measurement = {
  id: 11,
  title: 'Queries at scale',
  run: async (context) => {
    const full = context.scale === 'full';
    const budget = scaleBudget(context.scale, 'RELATE_BENCH_QUERY_MINUTES', 12);
    const sizes = full
      ? sizesFrom('RELATE_BENCH_QUERY_SIZES', [1_000, 10_000, 100_000, 1_000_000])
      : [20, 60];
    const sampling: SampleBudget = full
      ? { minSamples: 5, maxSamples: 40, budgetMs: 8_000, warmup: 2 }
      : { minSamples: 2, maxSamples: 2, budgetMs: 0, warmup: 1 };
    const model = await readMavenModel();
    const set = generatedSetFor(sizes.at(-1)!, QUERY_SEED);
    const stack = full ? await context.freshSystem('queries-at-scale') : await context.system();
    const growth = new GeneratedGrowth(stack, model.tables, set, context.logger);
    const ids = queryIdsOf(generateTables(model.tables, set, 0, 0), stack.tenantId);
    const pool = new Pool({ connectionString: stack.databaseUrl, max: 1 });
    pool.on('error', () => undefined);
    const observations: Observation[] = [];
    let grown: BudgetedGrowth;
    try {
      grown = await growWithinBudget(growth, budget, sizes, {
        // Every size by the bulk path: the import measurement times the API path.
        path: () => 'bulk',
        reserveMs: full ? QUERY_RESERVE_MS : 0,
        measure: async (size) => {
          for (const query of SCALE_QUERIES) {
            observations.push(await observe(stack, pool, ids, query, size, sampling));
          }
          context.logger.log('queries measured', { size });
        },
      });
    } finally {
      await pool.end();
    }

    const { steps, left } = grown;
    const measured = steps.map((step) => step.size);

    return {
      figures: figuresOf(observations, measured),
      tables: [latencyTable(observations, measured), growthTable(observations, measured)],
      notes: notes(steps, left),
    };
  },
};

async function observe(
  stack: ChaosStack,
  pool: Pool,
  ids: QueryIds,
  query: ScaleQuery,
  size: number,
  budget: SampleBudget,
): Promise<Observation> {
  const relate = async (n: number) => {
    const answer = await stack.gateway.get(query.path(ids, n), { timeoutMs: 120_000 });
    if (answer.status !== 200) {
      throw new Error(`${query.path(ids, n)} answered ${answer.status ?? answer.error}`);
    }
  };
  const { baseline } = query;
  try {
    const samples = baseline
      ? await sampleLatencies(budget, {
          relate,
          baseline: async (n: number) => {
            await pool.query(baseline.sql, baseline.values(ids, n));
          },
        })
      : await sampleLatencies(budget, { relate });

    return {
      query,
      size,
      relate: summary(samples.relate),
      baseline: 'baseline' in samples ? summary(samples.baseline as number[]) : undefined,
    };
  } catch (error) {
    return { query, size, error: error instanceof Error ? error.message : String(error) };
  }
}

function summary(samples: number[]): Latencies {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), samples: samples.length };
}

function slopeOf(observations: Observation[], query: ScaleQuery, sizes: number[]) {
  const at = (size: number) =>
    observations.find((o) => o.query === query && o.size === size)?.relate?.p50;
  const small = at(sizes[0]);
  const large = at(sizes.at(-1)!);
  if (small === undefined || large === undefined || sizes.length < 2) return undefined;

  return logLogSlope({ size: sizes[0], value: small }, { size: sizes.at(-1)!, value: large });
}

function figuresOf(observations: Observation[], sizes: number[]): Figure[] {
  const largest = sizes.at(-1)!;
  const figures: Figure[] = [];
  for (const query of SCALE_QUERIES) {
    const at = observations.find((o) => o.query === query && o.size === largest);
    if (at?.relate) {
      figures.push({
        what: `${query.name}: p50 at ${sizeLabel(largest)} deals`,
        unit: 'ms',
        value: at.relate.p50,
        baseline: at.baseline && { name: 'direct SQL on the read model', value: at.baseline.p50 },
      });
    }
    const slope = slopeOf(observations, query, sizes);
    if (slope !== undefined) {
      figures.push({
        what: `${query.name}: p50 log-log slope, ${sizeLabel(sizes[0])}-${sizeLabel(largest)}`,
        unit: 'slope',
        value: slope,
        target: { on: 'value', atMost: TARGET_SLOPE[query.kind] },
      });
    }
  }

  return figures;
}

function latencyTable(observations: Observation[], sizes: number[]): DetailTable {
  const cell = (l?: Latencies) => (l ? `${l.p50.toFixed(1)} / ${l.p99.toFixed(1)}` : '-');

  return {
    title: 'Latency p50 / p99 (ms) through the gateway, and of the direct SQL baseline',
    header: ['query', 'deals', 'Relate p50 / p99', 'direct SQL p50 / p99', 'samples'],
    rows: SCALE_QUERIES.flatMap((query) =>
      sizes.map((size) => {
        const o = observations.find((x) => x.query === query && x.size === size)!;

        return [
          query.name,
          sizeLabel(size),
          o.error ? `failed: ${o.error.slice(0, 80)}` : cell(o.relate),
          cell(o.baseline),
          o.relate?.samples ?? 0,
        ];
      }),
    ),
  };
}

function growthTable(observations: Observation[], sizes: number[]): DetailTable {
  const p50 = (query: ScaleQuery, size: number) =>
    observations.find((o) => o.query === query && o.size === size)?.relate?.p50;

  return {
    title: 'How p50 grows: factor per tenfold of data between neighbouring sizes',
    header: [
      'query',
      ...sizes.slice(1).map((s, i) => `${sizeLabel(sizes[i])} to ${sizeLabel(s)}`),
      'slope (all)',
      'target slope',
    ],
    rows: SCALE_QUERIES.map((query) => {
      const steps = sizes.slice(1).map((size, i) => {
        const small = p50(query, sizes[i]);
        const large = p50(query, size);
        if (small === undefined || large === undefined) return '-';
        const slope = logLogSlope({ size: sizes[i], value: small }, { size, value: large });

        return `x${perTenfold(slope).toFixed(2)}`;
      });
      const slope = slopeOf(observations, query, sizes);

      return [
        query.name,
        ...steps,
        slope === undefined ? '-' : slope.toFixed(2),
        `<= ${TARGET_SLOPE[query.kind]}`,
      ];
    }),
  };
}

function notes(steps: GrowthStep[], left: string[]): string[] {
  const loads = steps
    .map((s) => `${sizeLabel(s.size)}: ${(s.completeMs / 1000).toFixed(0)} s`)
    .join(', ');

  return [
    'One system grows a generated data set (the import measurement describes it; another seed) ' +
      'in steps, and the queries run at each size once every read model is complete. Every ' +
      'step uses the bulk path (the import measurement times the API path); until complete: ' +
      `${loads}. RELATE_BENCH_QUERY_SIZES (default \`1k,10k,100k,1M\`: 1k so that a slow ` +
      'machine still shows growth) and RELATE_BENCH_QUERY_MINUTES (default 12, loads and ' +
      'queries) choose the sizes and the budget; a size is loaded only if, at the rate of the ' +
      'step before, it fits.',
    ...(left.length > 0 ? [`Sizes not measured in this run's budget: ${left.join('; ')}.`] : []),
    'Each query runs one at a time through the gateway, alternating with its baseline where ' +
      'there is one: the same question as one SQL query on the read model, on one connection, ' +
      'without HTTP, JSON or the service. The owner and company rotate sample by sample.',
    `Targets of this measurement's own: a page (deal list, timeline) should cost about the ` +
      `same at any size, at most x2 per tenfold of data (slope <= ${TARGET_SLOPE.page}); the ` +
      'summary and the reports aggregate every matching deal and may grow with them, but no ' +
      `worse than linearly (slope <= ${TARGET_SLOPE.aggregate}).`,
    'The generated data has no people, activities or tasks (the Maven files have none): a ' +
      "company's timeline is its own changes, and the query still looks for its deals' and " +
      "people's activities, so its cost follows the company's deals.",
  ];
}
