import { Inject, Injectable } from '@nestjs/common';

import {
  ChangeSalesRepRequest,
  CommandContext,
  ContactsStreams,
  RegisterSalesRepRequest,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator } from '@relate/event-store';
import {
  AggregateRepository,
  CommandTarget,
  EventSourcedRepository,
  ID_GENERATOR,
} from '@relate/service-kit';

import { SalesRepCommand, salesRepDecider, SalesRepState } from './sales-rep.decider';

/** Sales rep commands: load, decide, append. */
@Injectable()
export class SalesRepsService {
  private readonly salesReps: AggregateRepository<SalesRepCommand, SalesRepState>;

  constructor(
    repository: EventSourcedRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.salesReps = repository.of(salesRepDecider, ContactsStreams.salesRep);
  }

  register(context: CommandContext, request: RegisterSalesRepRequest): Promise<WriteResult> {
    const salesRepId = request.id ?? this.ids.next();

    return this.salesReps.execute(
      { context, id: salesRepId },
      {
        type: 'RegisterSalesRep',
        salesRepId,
        personal: {
          name: request.name,
          manager: request.manager ?? null,
          email: request.email ?? null,
        },
        regionalOffice: request.regionalOffice ?? null,
      },
    );
  }

  change(target: CommandTarget, changes: ChangeSalesRepRequest): Promise<WriteResult> {
    return this.salesReps.execute(target, {
      type: 'ChangeSalesRepDetails',
      salesRepId: target.id,
      changes,
    });
  }
}
