import { Inject, Injectable } from '@nestjs/common';

import {
  ChangePersonRequest,
  CommandContext,
  ContactsStreams,
  RegisterPersonRequest,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator } from '@relate/event-store';
import {
  AggregateRepository,
  CommandTarget,
  EventSourcedRepository,
  ID_GENERATOR,
} from '@relate/service-kit';

import { CompaniesService } from '../companies/companies.service';
import { invalidContact } from '../contacts.errors';
import { PersonCommand, personDecider, PersonState } from './person.decider';

/** Person commands: load, decide, append. The rules live in the decider. */
@Injectable()
export class PeopleService {
  private readonly people: AggregateRepository<PersonCommand, PersonState>;

  constructor(
    repository: EventSourcedRepository,
    private readonly companies: CompaniesService,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.people = repository.of(personDecider, ContactsStreams.person);
  }

  async register(context: CommandContext, request: RegisterPersonRequest): Promise<WriteResult> {
    const personId = request.id ?? this.ids.next();
    await this.assertCompanyExists(context, request.companyId);

    return this.people.execute(
      { context, id: personId },
      {
        type: 'RegisterPerson',
        personId,
        personal: {
          firstName: request.firstName,
          lastName: request.lastName,
          email: request.email ?? null,
          phone: request.phone ?? null,
        },
        title: request.title ?? null,
        companyId: request.companyId ?? null,
        ownerId: request.ownerId ?? null,
        leadSource: request.leadSource ?? null,
      },
    );
  }

  async change(target: CommandTarget, changes: ChangePersonRequest): Promise<WriteResult> {
    await this.assertCompanyExists(target.context, changes.companyId);

    return this.people.execute(target, {
      type: 'ChangePersonDetails',
      personId: target.id,
      changes,
    });
  }

  async linkToCompany(target: CommandTarget, companyId: string | null): Promise<WriteResult> {
    await this.assertCompanyExists(target.context, companyId);

    return this.people.execute(target, {
      type: 'LinkPersonToCompany',
      personId: target.id,
      companyId,
    });
  }

  assignOwner(target: CommandTarget, ownerId: string): Promise<WriteResult> {
    return this.people.execute(target, { type: 'AssignPersonOwner', personId: target.id, ownerId });
  }

  recordLeadSource(target: CommandTarget, leadSource: string): Promise<WriteResult> {
    return this.people.execute(target, {
      type: 'RecordPersonLeadSource',
      personId: target.id,
      leadSource,
    });
  }

  archive(target: CommandTarget): Promise<WriteResult> {
    return this.people.execute(target, { type: 'ArchivePerson', personId: target.id });
  }

  /** A person may only point at a company of the same tenant that exists in this store. */
  private async assertCompanyExists(
    context: CommandContext,
    companyId: string | null | undefined,
  ): Promise<void> {
    if (companyId === null || companyId === undefined) {
      return;
    }
    if (!(await this.companies.exists(context.tenantId, companyId))) {
      throw invalidContact([{ field: 'companyId', reason: 'names no company of this tenant' }]);
    }
  }
}
