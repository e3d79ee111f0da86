import { randomUUID } from 'node:crypto';

import { E2eStack, startE2eStack } from '../testing/e2e-stack';

/** Input a careless client sends: refused with 400, never a 500 or a parked event. */
describe('activities: hostile input through the gateway', () => {
  let stack: E2eStack;
  const api = () => stack.as('a');

  beforeAll(async () => {
    stack = await startE2eStack('activities-hostile');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses list bounds PostgreSQL would fail on or read its own way (was a 500)', async () => {
    for (const [path, field] of [
      ['/activities?from=2026-W01', 'from'],
      ['/activities?to=2026-001', 'to'],
      ['/tasks?dueFrom=2026-W01', 'dueFrom'],
      ['/tasks?dueTo=20260101', 'dueTo'],
    ]) {
      const response = await api().get(path).expect(400);
      expect(response.body.violations).toEqual([expect.objectContaining({ field })]);
    }
    await api().get('/tasks?dueFrom=2026-03-01&dueTo=2026-03-01T23:00:00%2B01:00').expect(200);
  });

  it('refuses a due time that is year 10000 in UTC (was 201, then a parked event)', async () => {
    const dueAt = '9999-12-31T23:59:59-14:00';
    const reason = 'must be in the years 0001 to 9999 (UTC)';
    const created = await api()
      .post('/tasks', { title: 'Far', dueAt, personId: randomUUID() })
      .expect(400);
    expect(created.body.violations).toEqual([{ field: 'dueAt', reason }]);
    const taskId = randomUUID();
    await api()
      .post('/tasks', { id: taskId, title: 'Near', dueAt: '2026-03-01T10:00:00Z' })
      .expect(201);
    const moved = await api().post(`/tasks/${taskId}/reschedule`, { dueAt }).expect(400);
    expect(moved.body.violations).toEqual([{ field: 'dueAt', reason }]);
  });
});
