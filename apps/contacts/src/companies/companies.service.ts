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
  AggregateRepository,
  CommandTarget,
  EventSourcedRepository,
  ID_GENERATOR,
} from '@relate/service-kit';

import { CompanyCommand, companyDecider, CompanyState } from './company.decider';

/** Company commands: load, decide, append. The rules live in the decider. */
@Injectable()
export class CompaniesService {
  private readonly companies: AggregateRepository<CompanyCommand, CompanyState>;

  constructor(
    repository: EventSourcedRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.companies = repository.of(companyDecider, ContactsStreams.company);
  }

  register(context: CommandContext, request: RegisterCompanyRequest): Promise<WriteResult> {
    const companyId = request.id ?? this.ids.next();

    return this.companies.execute(
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
    const companyId = target.id;

    return this.companies.execute(target, { type: 'ChangeCompanyDetails', companyId, changes });
  }

  assignOwner(target: CommandTarget, ownerId: string): Promise<WriteResult> {
    const companyId = target.id;

    return this.companies.execute(target, { type: 'AssignCompanyOwner', companyId, ownerId });
  }

  archive(target: CommandTarget): Promise<WriteResult> {
    return this.companies.execute(target, { type: 'ArchiveCompany', companyId: target.id });
  }

  unarchive(target: CommandTarget): Promise<WriteResult> {
    return this.companies.execute(target, { type: 'UnarchiveCompany', companyId: target.id });
  }

  /** Whether the tenant has registered this company. */
  async exists(tenantId: string, companyId: string): Promise<boolean> {
    const { version } = await this.companies.load(tenantId, companyId);

    return version > 0;
  }
}
