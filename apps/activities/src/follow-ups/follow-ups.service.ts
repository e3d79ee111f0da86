import { Inject, Injectable } from '@nestjs/common';

import { FollowUpsQuery, FollowUpsView } from '@relate/contracts';
import { Clock } from '@relate/event-store';
import { CLOCK } from '@relate/service-kit';

import { rejectField } from '../activities.errors';
import { RecordsRepository } from '../records/records.repository';
import { FOLLOW_UP_LIMIT, TasksRepository } from '../tasks/tasks.repository';
import { addDays, dayBounds, isTimeZone, localDateOf } from './day-bounds';

export const DEFAULT_STALE_DAYS = 14;
const MAX_STALE_DAYS = 365;

function staleDaysOf(value: unknown): number {
  if (value === undefined) {
    return DEFAULT_STALE_DAYS;
  }
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > MAX_STALE_DAYS) {
    rejectField('staleDays', `must be an integer 1..${MAX_STALE_DAYS}`);
  }

  return days;
}

/**
 * A rep's day: open tasks overdue before the day starts and due during it, in the rep's time
 * zone, and the open deals and active contacts the rep owns that nobody worked on for `staleDays`
 * local days before that day (since the last activity, else since the record was created).
 */
@Injectable()
export class FollowUpsService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly records: RecordsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async today(tenantId: string, actorId: string, query: FollowUpsQuery): Promise<FollowUpsView> {
    const timezone = query.timezone ?? 'UTC';
    if (!isTimeZone(timezone)) {
      rejectField('timezone', 'must be an IANA time zone, e.g. Europe/Berlin');
    }
    const ownerId = query.ownerId ?? actorId;
    const staleDays = staleDaysOf(query.staleDays);
    const date = query.date ?? localDateOf(this.clock.now(), timezone);
    const day = dayBounds(date, timezone);
    const staleBefore = dayBounds(addDays(date, -staleDays), timezone).start;

    const [overdueTasks, dueTodayTasks, staleDeals, staleContacts] = await Promise.all([
      this.tasks.openDue(tenantId, ownerId, null, day.start),
      this.tasks.openDue(tenantId, ownerId, day.start, day.end),
      this.records.stale(tenantId, ownerId, ['deal'], staleBefore, FOLLOW_UP_LIMIT),
      this.records.stale(tenantId, ownerId, ['person', 'company'], staleBefore, FOLLOW_UP_LIMIT),
    ]);

    return {
      ownerId,
      date,
      timezone,
      dayStart: day.start.toISOString(),
      dayEnd: day.end.toISOString(),
      staleDays,
      overdueTasks,
      dueTodayTasks,
      staleDeals,
      staleContacts,
    };
  }
}
