import { Inject, Injectable } from '@nestjs/common';

import {
  CommandContext,
  ContactsStreams,
  RegisterSalesRepRequest,
  salesRepStreamId,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator } from '@relate/event-store';
import { EventSourcedRepository, ID_GENERATOR } from '@relate/service-kit';

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
      aggregate: {
        id: salesRepId,
        streamId: salesRepStreamId(context.tenantId, salesRepId),
        streamType: ContactsStreams.salesRep.type,
      },
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
