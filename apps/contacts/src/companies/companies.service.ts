import { Inject, Injectable } from '@nestjs/common';

import {
  ChangeCompanyRequest,
  CommandContext,
  ContactsStreams,
  RegisterCompanyRequest,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator } from '@relate/event-store';
import {
  aggregateRef,
  CommandTarget,
  EventSourcedRepository,
  ID_GENERATOR,
} from '@relate/service-kit';

import { CompanyCommand, companyDecider } from './company.decider';

/** Company commands: load, decide, append. The rules live in the decider. */
@Injectable()
export class CompaniesService {
  constructor(
    private readonly repository: EventSourcedRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  register(context: CommandContext, request: RegisterCompanyRequest): Promise<WriteResult> {
    const companyId = request.id ?? this.ids.next();

    return this.execute(
      { context, id: companyId },
      {
        type: 'RegisterCompany',
        companyId,
        name: request.name,
        ownerId: request.ownerId ?? null,
        profile: {
          sector: request.sector ?? null,
          yearEstablished: request.yearEstablished ?? null,
          revenue: request.revenue ?? null,
          employees: request.employees ?? null,
          officeLocation: request.officeLocation ?? null,
          parentCompanyId: request.parentCompanyId ?? null,
          website: request.website ?? null,
          leadSource: request.leadSource ?? null,
        },
      },
    );
  }

  change(target: CommandTarget, changes: ChangeCompanyRequest): Promise<WriteResult> {
    return this.execute(target, { type: 'ChangeCompanyDetails', companyId: target.id, changes });
  }

  assignOwner(target: CommandTarget, ownerId: string): Promise<WriteResult> {
    return this.execute(target, { type: 'AssignCompanyOwner', companyId: target.id, ownerId });
  }

  archive(target: CommandTarget): Promise<WriteResult> {
    return this.execute(target, { type: 'ArchiveCompany', companyId: target.id });
  }

  unarchive(target: CommandTarget): Promise<WriteResult> {
    return this.execute(target, { type: 'UnarchiveCompany', companyId: target.id });
  }

  private execute(target: CommandTarget, command: CompanyCommand): Promise<WriteResult> {
    const { context, id, expectedVersion } = target;

    return this.repository.execute({
      decider: companyDecider,
      aggregate: aggregateRef(ContactsStreams.company, context.tenantId, id),
      context,
      expectedVersion,
      command: () => command,
    });
  }
}
