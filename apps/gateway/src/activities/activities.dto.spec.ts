import { RelateError } from '@relate/errors';

import { createValidationPipe } from '../http/validation';
import { CreateTaskDto, LogActivityDto } from './activities.dto';

async function violationsOf(metatype: new () => object, value: object) {
  try {
    await createValidationPipe().transform(value, { type: 'body', metatype });

    return [];
  } catch (error) {
    return (error as RelateError).violations ?? [];
  }
}

describe('activities DTOs: instants', () => {
  it('take a date-time with a zone, and refuse one without a zone or time', async () => {
    const task = { title: 'Call', dueAt: '2026-03-10T09:30:00.123+01:00' };
    expect(await violationsOf(CreateTaskDto, task)).toEqual([]);
    for (const dueAt of ['2026-03-10T09:30:00', '2026-03-10', 'x2026-03-10T09:30Z']) {
      expect(await violationsOf(CreateTaskDto, { ...task, dueAt })).toContainEqual(
        expect.objectContaining({ field: 'dueAt' }),
      );
    }
  });

  it('refuse a megabyte of repeated T00:00 in one pass', async () => {
    // The former unanchored /T\d{2}:\d{2}.*(Z|...)$/ took about a minute on this body, blocking
    // every request of the gateway.
    const occurredAt = 'T00:00'.repeat(170_000);
    const body = { kind: 'call', occurredAt, personId: '0190a0b0-0000-7000-8000-0000000000d1' };

    expect(await violationsOf(LogActivityDto, body)).toContainEqual(
      expect.objectContaining({ field: 'occurredAt' }),
    );
  });
});
