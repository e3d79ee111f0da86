import { Inject, Injectable } from '@nestjs/common';

import {
  ChangeCompanyRequest,
  CommandContext,
  companyStreamId,
  ContactsStreams,
  RegisterCompanyRequest,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator } from '@relate/event-store';
import { EventSourcedRepository, ID_GENERATOR } from '@relate/service-kit';

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

    return this.execute(context, companyId, undefined, {
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
    });
  }

  change(
    context: CommandContext,
    companyId: string,
    changes: ChangeCompanyRequest,
    expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.execute(context, companyId, expectedVersion, {
      type: 'ChangeCompanyDetails',
      companyId,
      changes,
    });
  }

  assignOwner(
    context: CommandContext,
    companyId: string,
    ownerId: string,
    expectedVersion?: number,
  ): Promise<WriteResult> {
    const command: CompanyCommand = { type: 'AssignCompanyOwner', companyId, ownerId };

    return this.execute(context, companyId, expectedVersion, command);
  }

  archive(context: CommandContext, companyId: string, expectedVersion?: number) {
    return this.execute(context, companyId, expectedVersion, { type: 'ArchiveCompany', companyId });
  }

  unarchive(context: CommandContext, companyId: string, expectedVersion?: number) {
    const command: CompanyCommand = { type: 'UnarchiveCompany', companyId };

    return this.execute(context, companyId, expectedVersion, command);
  }

  private execute(
    context: CommandContext,
    companyId: string,
    expectedVersion: number | undefined,
    command: CompanyCommand,
  ): Promise<WriteResult> {
    return this.repository.execute({
      decider: companyDecider,
      aggregate: {
        id: companyId,
        streamId: companyStreamId(context.tenantId, companyId),
        streamType: ContactsStreams.company.type,
      },
      context,
      expectedVersion,
      command: () => command,
    });
  }
}
