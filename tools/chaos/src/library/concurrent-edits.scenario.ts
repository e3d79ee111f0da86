import { randomUUID } from 'node:crypto';

import { DealView, EventEnvelope, WriteResult } from '@relate/contracts';

import { E2eStack, startE2eStack } from '../../../../apps/gateway/src/testing/e2e-stack';
import { ChaosFigures } from '../chaos-figures';
import { ChaosScale, ChaosScenario } from '../chaos-scenario';
import { standaloneServers } from '@relate/testing';
import { failOnProblems, problemsOf } from '../scenario-problems';

interface EditLoad {
  rounds: number;
  clients: number;
}

const LOADS: Record<ChaosScale, EditLoad> = {
  short: { rounds: 8, clients: 16 },
  full: { rounds: 60, clients: 32 },
};

/** The common figures, and the answers the clients got. */
export interface ConcurrentEditsFigures extends ChaosFigures {
  attempts: number;
  successes: number;
  conflicts: number;
  /** 409s whose body named the deal's version at the time (details.actual) above If-Match. */
  conflictsWithCurrentVersion: number;
  otherErrors: number;
  /** Rounds that had other than exactly one winner. */
  roundsWithoutOneWinner: number;
  finalVersion: number;
  /** Whether the deal's read model shows the last winner's value at the final version. */
  readModelShowsLastWinner: boolean;
}

export interface ConcurrentEditsScenario extends ChaosScenario {
  run(scale: ChaosScale): Promise<ConcurrentEditsFigures>;
}

interface Win {
  version: number;
  value: number;
  consistencyToken: string;
}

/**
 * Scenario 8: many clients change the value of one deal through the gateway at once, each with
 * If-Match naming the version they all last saw. Per version exactly one wins (2xx); the others
 * get 409 with the deal's current version. The deal's history then holds exactly the winners'
 * changes in order, its version is 1 (the opening) plus the wins, and the pipeline's read model
 * shows the last winner's value.
 */
export const concurrentEditsScenario: ConcurrentEditsScenario = {
  id: 8,
  name: 'concurrent edits',
  run: async (scale) => {
    const figures = await runConcurrentEdits(LOADS[scale]);

    return failOnProblems({
      ...figures,
      problems: problemsOf({
        'every round had exactly one winner': figures.roundsWithoutOneWinner === 0,
        'every loser got a 409 naming the current version':
          figures.conflicts === figures.attempts - figures.successes &&
          figures.conflictsWithCurrentVersion === figures.conflicts,
        'no other error': figures.otherErrors === 0,
        'the final version counts the successful changes':
          figures.finalVersion === 1 + figures.successes,
        'the read model shows the last winner': figures.readModelShowsLastWinner,
      }),
    });
  },
};

async function runConcurrentEdits(load: EditLoad): Promise<ConcurrentEditsFigures> {
  const servers = await standaloneServers('chaoslib');
  let stack: E2eStack | undefined;
  try {
    stack = await startE2eStack('chaos_edits');
    const api = stack.as('a');
    const dealId = await openDeal(stack);
    const tally = { attempts: 0, conflicts: 0, withCurrent: 0, other: 0, badRounds: 0 };
    const wins: Win[] = [];
    const otherAnswers: string[] = [];
    let version = 1;
    for (let round = 1; round <= load.rounds; round++) {
      const answers = await Promise.all(
        Array.from({ length: load.clients }, (_, client) =>
          api
            .patch(`/deals/${dealId}`, { value: round * 1000 + client + 1 })
            .set('If-Match', `"${version}"`),
        ),
      );
      tally.attempts += answers.length;
      const roundWins: Win[] = [];
      answers.forEach((answer, client) => {
        if (answer.status >= 200 && answer.status < 300) {
          const body = answer.body as WriteResult;
          roundWins.push({
            version: body.version,
            value: round * 1000 + client + 1,
            consistencyToken: body.consistencyToken,
          });
        } else if (answer.status === 409 && answer.body?.error === 'WRONG_EXPECTED_VERSION') {
          tally.conflicts += 1;
          const actual = answer.body.details?.actual;
          tally.withCurrent += typeof actual === 'number' && actual > version ? 1 : 0;
        } else {
          tally.other += 1;
          otherAnswers.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
        }
      });
      tally.badRounds += roundWins.length === 1 ? 0 : 1;
      wins.push(...roundWins);
      version = Math.max(version, ...roundWins.map((win) => win.version));
    }

    const history = (await api.get(`/deals/${dealId}/history`).expect(200)).body as EventEnvelope[];
    const changes = history.filter((event) => event.type === 'DealValueChanged');
    const found = wins.filter((win) =>
      changes.some(
        (event) =>
          event.streamVersion === win.version &&
          (event.data as { value: number }).value === win.value,
      ),
    ).length;
    // A change in the history that no 2xx accounts for: applied twice, or applied although refused.
    const appliedTwice = changes.length - found;
    const finalVersion = history.length === 0 ? 0 : history[history.length - 1].streamVersion;
    const last = wins[wins.length - 1];
    const view = last
      ? ((await api.get(`/deals/${dealId}?consistency=${last.consistencyToken}`).expect(200))
          .body as DealView)
      : undefined;
    const readModelShowsLastWinner =
      view !== undefined && view.value === last.value && view.version === finalVersion;

    return {
      scenario: 8,
      name: 'concurrent edits',
      acknowledged: wins.length,
      expectedEvents: wins.length,
      foundEvents: found,
      lost: wins.length - found,
      appliedTwice,
      recoverySeconds: null,
      attempts: tally.attempts,
      successes: wins.length,
      conflicts: tally.conflicts,
      conflictsWithCurrentVersion: tally.withCurrent,
      otherErrors: tally.other,
      roundsWithoutOneWinner: tally.badRounds,
      finalVersion,
      readModelShowsLastWinner,
      detail: [
        `${load.rounds} rounds of ${load.clients} clients`,
        `attempts ${tally.attempts}`,
        `2xx ${wins.length}`,
        `409 ${tally.conflicts} (${tally.withCurrent} naming the current version)`,
        `other errors ${tally.other}`,
        `rounds without exactly one winner ${tally.badRounds}`,
        `final version ${finalVersion} (1 + ${wins.length})`,
        `read model shows last winner ${readModelShowsLastWinner}`,
        ...otherAnswers.slice(0, 3),
      ].join('; '),
    };
  } finally {
    await stack?.stop().catch(() => undefined);
    await servers.stop();
  }
}

async function openDeal(stack: E2eStack): Promise<string> {
  const api = stack.as('a');
  const pipelineId = randomUUID();
  await api
    .post('/pipelines', {
      id: pipelineId,
      name: 'Contested',
      stages: [
        { id: randomUUID(), name: 'Open', kind: 'open' },
        { id: randomUUID(), name: 'Won', kind: 'won' },
        { id: randomUUID(), name: 'Lost', kind: 'lost' },
      ],
    })
    .expect(201);
  const dealId = randomUUID();
  const opened = await api
    .post('/deals', { id: dealId, title: 'Contested deal', pipelineId, value: 1 })
    .expect(201);
  if ((opened.body as WriteResult).version !== 1) {
    throw new Error(`a new deal answered version ${opened.body.version}`);
  }

  return dealId;
}
