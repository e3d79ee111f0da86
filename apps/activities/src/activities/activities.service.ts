import { Inject, Injectable } from '@nestjs/common';

import {
  ActivitiesStreams,
  CommandContext,
  CorrectActivityRequest,
  LogActivityRequest,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator } from '@relate/event-store';
import {
  AggregateRepository,
  CommandTarget,
  EventSourcedRepository,
  ID_GENERATOR,
} from '@relate/service-kit';

import { ActivityCommand, activityDecider, ActivityState } from './activity.decider';

/** Activity commands: load, decide, append. Rules live in the decider. */
@Injectable()
export class ActivitiesService {
  private readonly activities: AggregateRepository<ActivityCommand, ActivityState>;

  constructor(
    repository: EventSourcedRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.activities = repository.of(activityDecider, ActivitiesStreams.activity);
  }

  // TODO(#3): related ids are not checked against the records directory (a read model that may
  // lag behind the write that created the record); an unknown id only makes an orphan activity.
  log(context: CommandContext, request: LogActivityRequest): Promise<WriteResult> {
    const activityId = request.id ?? this.ids.next();
    // The rep who logs an activity is its owner unless the request names another.
    const ownerId =
      request.ownerId === undefined && context.actor.type === 'user'
        ? context.actor.id
        : request.ownerId;

    return this.activities.execute(
      { context, id: activityId },
      {
        type: 'LogActivity',
        activityId,
        kind: request.kind,
        occurredAt: request.occurredAt,
        direction: request.direction,
        outcome: request.outcome,
        durationMinutes: request.durationMinutes,
        ownerId,
        subject: request.subject,
        body: request.body,
        related: {
          personId: request.personId ?? null,
          companyId: request.companyId ?? null,
          dealId: request.dealId ?? null,
        },
      },
    );
  }

  correct(target: CommandTarget, request: CorrectActivityRequest): Promise<WriteResult> {
    return this.activities.execute(target, {
      type: 'CorrectActivity',
      activityId: target.id,
      ...request,
    });
  }

  delete(target: CommandTarget): Promise<WriteResult> {
    return this.activities.execute(target, { type: 'DeleteActivity', activityId: target.id });
  }
}
