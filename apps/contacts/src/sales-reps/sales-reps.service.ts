import { Inject, Injectable } from '@nestjs/common';

import {
  CommandContext,
  ContactsStreams,
  RegisterSalesRepRequest,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator } from '@relate/event-store';
import { aggregateRef, EventSourcedRepository, ID_GENERATOR } from '@relate/service-kit';

import { salesRepDecider } from './sales-rep.decider';

/** Sales rep commands: load, decide, append. */
@Injectable()
export class SalesRepsService {
  constructor(
    private readonly repository: EventSourcedRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  register(context: CommandContext, request: RegisterSalesRepRequest): Promise<WriteResult> {
    const salesRepId = request.id ?? this.ids.next();

    return this.repository.execute({
      decider: salesRepDecider,
      aggregate: aggregateRef(ContactsStreams.salesRep, context.tenantId, salesRepId),
      context,
      command: () => ({
        type: 'RegisterSalesRep',
        salesRepId,
        personal: { name: request.name, manager: request.manager ?? null },
        regionalOffice: request.regionalOffice ?? null,
      }),
    });
  }
}
