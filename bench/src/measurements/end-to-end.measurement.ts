import { companyStreamId, Topics } from '@relate/contracts';

import type { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';
import { settle } from '../../../tools/chaos/src/support/read-model-check';
import { BenchContext, Figure, Measurement, MeasurementResult } from '../harness/bench-types';
import { median, percentile, summarizeLatencies } from '../harness/stats';
import { CommandAnswer, driveCommands } from '../support/command-load';
import { TopicTimestamps } from '../support/topic-timestamps';
import { Visibility, VisibilityProbe } from '../support/visibility-probe';
import { gatewayCommands, measuredCommandRate } from './http-command.measurement';

const SETTINGS = {
  smoke: { roundSeconds: 2, warmUpSeconds: 0.5, maxRateSeconds: 1 },
  full: { roundSeconds: 15, warmUpSeconds: 2, maxRateSeconds: 5 },
};

/** A change not seen after this long is counted at this value (and as over the target). */
const PROBE_TIMEOUT_MS = 5_000;
const SETTLE_TIMEOUT_MS = 180_000;

/**
 * Read models of other services that follow the contacts topic, each with the query that finds
 * a registered company in it (pipeline shows deals' company names, reporting its facts).
 */
const READ_MODELS = [
  {
    name: 'pipeline: company names',
    query: 'SELECT 1 FROM pipeline.company_names WHERE tenant_id = $1 AND company_id = $2',
  },
  {
    name: 'reporting: companies',
    query: 'SELECT 1 FROM reporting.companies WHERE tenant_id = $1 AND company_id = $2',
  },
] as const;

interface Sample extends Visibility {
  readModel: string;
  companyId: string;
  /** When the answer arrived, in epoch milliseconds (the clock the services stamp with). */
  answeredAtMs: number;
}

interface Round {
  samples: Sample[];
  achievedRate: number;
  answerMs: number[];
  skipped: number;
  failed: number;
}

/**
 * Drives commands at `rate` for a round and probes the answered ones, one at a time for each
 * read model: as soon as a probe is free, the next answered company is looked for.
 */
async function probedRound(
  stack: ChaosStack,
  probes: VisibilityProbe[],
  rate: number,
  seconds: number,
): Promise<Round> {
  const samples: Sample[] = [];
  const probing = new Set<Promise<void>>();
  const probeAnswer = (answer: CommandAnswer) => {
    const index = probes.findIndex((probe) => !probe.busy);
    if (index < 0 || answer.status === null || answer.status >= 300) return;
    const values = [stack.tenantId, answer.companyId];
    const sampled = probes[index]
      .waitVisible(values, answer.answeredAt, PROBE_TIMEOUT_MS)
      .then((visibility) => {
        samples.push({
          ...visibility,
          readModel: READ_MODELS[index].name,
          companyId: answer.companyId,
          answeredAtMs: performance.timeOrigin + answer.answeredAt,
        });
      });
    probing.add(sampled);
  };
  const load = await driveCommands({
    gatewayUrl: stack.url('gateway'),
    apiKey: stack.apiKey,
    ratePerSecond: rate,
    durationMs: seconds * 1000,
    onAnswer: probeAnswer,
  });
  await Promise.all(probing);

  return { samples, ...load };
}

/** The maximum sustained command rate: measurement 5's on this system, or measured now. */
async function maxCommandRate(context: BenchContext, stack: ChaosStack): Promise<number> {
  const known = measuredCommandRate(stack);
  if (known !== undefined) return known;
  const { rate } = await gatewayCommands(stack, SETTINGS[context.scale].maxRateSeconds);
  await settle(stack, SETTLE_TIMEOUT_MS);

  return rate;
}

function latencyFigures(rounds: Round[]): Figure[] {
  const perRound = (p: number) => rounds.map((round) => percentile(visibleMs(round.samples), p));
  const maxima = rounds.map((round) => summarizeLatencies(visibleMs(round.samples)).max);
  const figure = (what: string, values: number[], value: number, atMost: number): Figure => ({
    what: `answer to read model of another service, ${what}`,
    unit: 'ms',
    value,
    rounds: values,
    target: { on: 'value', atMost },
  });

  return [
    figure('p50', perRound(50), median(perRound(50)), 25),
    figure('p99', perRound(99), median(perRound(99)), 100),
    figure('max of all rounds', maxima, Math.max(...maxima), 1000),
  ];
}

const visibleMs = (samples: Sample[]) => samples.map((sample) => sample.visibleMs);

function readModelRows(rounds: Round[]): Array<Array<string | number>> {
  const all = rounds.flatMap((round) => round.samples);

  return READ_MODELS.map(({ name }) => {
    const mine = all.filter((sample) => sample.readModel === name);
    const summary = summarizeLatencies(visibleMs(mine));
    const periods = mine.flatMap((sample) => sample.pollPeriodsMs);

    return [
      name,
      summary.count,
      mine.filter((sample) => !sample.seen).length,
      summary.p50,
      summary.p99,
      summary.max,
      percentile(periods, 50),
      percentile(periods, 99),
    ];
  });
}

/**
 * Each probed command's path in stages, by the clock the services share with this process: its
 * event's `recorded_at` (stamped as the contacts service appends it), the record's timestamp on
 * the topic (the relay's send), the answer's arrival and the probe's sighting.
 */
async function stageRows(
  stack: ChaosStack,
  sent: TopicTimestamps,
  samples: Sample[],
): Promise<Array<Array<string | number>>> {
  const streamOf = (sample: Sample) => companyStreamId(stack.tenantId, sample.companyId);
  const rows = await stack.sql<{ stream_id: string; ms: number }>(
    `SELECT stream_id, extract(epoch FROM recorded_at)::float8 * 1000 AS ms
     FROM contacts.events WHERE stream_id = ANY($1)`,
    [samples.map(streamOf)],
  );
  const stored = new Map(rows.map((row) => [row.stream_id, row.ms]));
  const traced = samples.flatMap((sample) => {
    const storedAt = stored.get(streamOf(sample));
    const sentAt = sent.of(streamOf(sample));
    const seenAt = sample.answeredAtMs + sample.visibleMs;

    return storedAt === undefined || sentAt === undefined
      ? []
      : [{ storedAt, sentAt, seenAt, answeredAt: sample.answeredAtMs }];
  });
  const row = (from: string, to: string, spans: number[]) => {
    const summary = summarizeLatencies(spans);

    return [from, to, summary.p50, summary.p99, summary.max];
  };

  return [
    row(
      'event stamped',
      'answer at the client',
      traced.map((t) => t.answeredAt - t.storedAt),
    ),
    row(
      'event stamped',
      'sent to the broker (outbox relay)',
      traced.map((t) => t.sentAt - t.storedAt),
    ),
    row(
      'sent to the broker',
      'seen in the read model (broker, consumer, projection)',
      traced.map((t) => t.seenAt - t.sentAt),
    ),
  ];
}

export const endToEndMeasurement: Measurement = {
  id: 8,
  title: 'End to end: answer to read model',
  run: async (context): Promise<MeasurementResult> => {
    const settings = SETTINGS[context.scale];
    const stack = await context.system();
    // What earlier measurements wrote is read to the end first: only this load is measured.
    await settle(stack, SETTLE_TIMEOUT_MS);
    const maxRate = await maxCommandRate(context, stack);
    const rate = maxRate / 2;
    const probes = await Promise.all(
      READ_MODELS.map(({ query }) => VisibilityProbe.open(stack.databaseUrl, query)),
    );
    const sent = await TopicTimestamps.start(stack.brokers, Topics.contacts);
    const rounds: Round[] = [];
    let stages: Array<Array<string | number>>;
    try {
      await probedRound(stack, probes, rate, settings.warmUpSeconds);
      for (let round = 0; round < context.rounds; round += 1) {
        rounds.push(await probedRound(stack, probes, rate, settings.roundSeconds));
      }
      stages = await stageRows(
        stack,
        sent,
        rounds.flatMap((round) => round.samples),
      );
    } finally {
      await Promise.all(probes.map((probe) => probe.close()));
      await sent.stop();
    }
    await settle(stack, SETTLE_TIMEOUT_MS);
    const answers = summarizeLatencies(rounds.flatMap((round) => round.answerMs));
    const periods = rounds.flatMap((round) => round.samples.flatMap((s) => s.pollPeriodsMs));

    return {
      figures: latencyFigures(rounds),
      tables: [
        {
          title: 'Where the time goes, all probed commands (ms)',
          header: ['from', 'to', 'p50', 'p99', 'max'],
          rows: stages,
        },
        {
          title: 'Per read model, all rounds (ms)',
          header: ['read model', 'probed', 'not seen', 'p50', 'p99', 'max', 'poll p50', 'poll p99'],
          rows: readModelRows(rounds),
        },
        {
          title: 'The load',
          header: ['max rate /s', 'driven at /s', 'achieved /s', 'answer p50 ms', 'answer p99 ms'],
          rows: [
            [
              maxRate,
              rate,
              median(rounds.map((round) => round.achievedRate)),
              answers.p50,
              answers.p99,
            ],
          ],
        },
      ],
      notes: [
        'Companies are registered through the gateway at half the maximum sustained command ' +
          `rate (${Math.round(maxRate)}/s, measurement 5's rate at 16 in flight on this ` +
          'system, or measured here when 5 did not run). Read models of other services ' +
          'that follow the contacts topic: pipeline (company names), activities (records), ' +
          'automation (rules) and reporting (facts); the probe looks in pipeline and reporting.',
        'Each figure runs from the 2xx answer reaching the client to the end of the first ' +
          'query, on a connection of its own, that found the company in the read model. One ' +
          'probe per read model at a time: the next answered command is sampled as soon as it ' +
          'is free. The probe polls with a 1 ms pause; the change became visible at most one ' +
          `poll period before it was seen (median period ${percentile(periods, 50).toFixed(2)} ` +
          `ms, p99 ${percentile(periods, 99).toFixed(2)} ms), so each figure is late by at ` +
          'most that much. Figures are medians of the rounds; the maximum is over all samples.',
        "Where the time goes: each probed company's event as the contacts service stamped it " +
          '(`recorded_at`, just before its append), the timestamp of its record on the topic ' +
          "(the relay's send) and the probe's sighting, all on the one clock of this machine. " +
          "The relay stage includes the append's commit and the wake-up of the relay; the last " +
          "stage the broker's write and fsync, the consumer's fetch and the projection's " +
          'transaction.',
      ],
    };
  },
};
