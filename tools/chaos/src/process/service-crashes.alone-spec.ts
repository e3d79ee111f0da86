import { figuresTable } from '../chaos-figures';
import { ChaosStack, STACK_SERVICES } from '../support/chaos-stack';
import { killOrder, serviceCrashesScenario } from './service-crashes.scenario';

describe('chaos scenario 2: kill -9 of services', () => {
  // A scenario cut short by jest's timeout still stops every process it started.
  afterAll(() => ChaosStack.stopAll(), 60_000);

  it('kills every service once in a shuffled order, never one twice in a row', () => {
    const order = killOrder(3);

    expect(order).toHaveLength(3 * STACK_SERVICES.length);
    expect([...new Set(order)].sort()).toEqual([...STACK_SERVICES].sort());
    expect(order.every((service, i) => i === 0 || order[i - 1] !== service)).toBe(true);
  });

  it('loses nothing and applies nothing twice; read models equal a rebuild', async () => {
    const figures = await serviceCrashesScenario.run('short');
    process.stdout.write(`${figuresTable([figures])}\n`);

    expect(figures.lost).toBe(0);
    expect(figures.appliedTwice).toBe(0);
    expect(new Set(figures.kills.map(({ service }) => service)).size).toBe(STACK_SERVICES.length);
    expect(figures.acknowledged).toBeGreaterThan(0);
    expect(figures.foundEvents).toBe(figures.expectedEvents);
    expect(figures.commands.failedButStored).toBe(0);
    expect(figures.commands.half).toBe(0);
    expect(figures.reactors.moves).toBeGreaterThan(0);
    expect(figures.reactors.firings).toBe(figures.reactors.moves);
    expect(figures.reactors.tasksCreated).toBe(figures.reactors.tasksRequested);
    expect(figures.reactors.reminders).toBe(figures.reactors.tasksCreated);
    expect(figures.rebuild.differing).toEqual([]);
  }, 300_000);
});
