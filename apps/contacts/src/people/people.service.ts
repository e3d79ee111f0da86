import { Inject, Injectable } from '@nestjs/common';

import {
  ChangePersonRequest,
  CommandContext,
  companyStreamId,
  ContactsStreams,
  personStreamId,
  RegisterPersonRequest,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator } from '@relate/event-store';
import { EventSourcedRepository, ID_GENERATOR } from '@relate/service-kit';

import { companyDecider } from '../companies/company.decider';
import { invalidContact } from '../contacts.errors';
import { PersonCommand, personDecider } from './person.decider';

/** Person commands: load, decide, append. The rules live in the decider. */
@Injectable()
export class PeopleService {
  constructor(
    private readonly repository: EventSourcedRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async register(context: CommandContext, request: RegisterPersonRequest): Promise<WriteResult> {
    const personId = request.id ?? this.ids.next();
    await this.assertCompanyExists(context, request.companyId);

    return this.execute(context, personId, undefined, {
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
    });
  }

  async change(
    context: CommandContext,
    personId: string,
    changes: ChangePersonRequest,
    expectedVersion?: number,
  ): Promise<WriteResult> {
    await this.assertCompanyExists(context, changes.companyId);

    return this.execute(context, personId, expectedVersion, {
      type: 'ChangePersonDetails',
      personId,
      changes,
    });
  }

  async linkToCompany(
    context: CommandContext,
    personId: string,
    companyId: string | null,
    expectedVersion?: number,
  ): Promise<WriteResult> {
    await this.assertCompanyExists(context, companyId);

    return this.execute(context, personId, expectedVersion, {
      type: 'LinkPersonToCompany',
      personId,
      companyId,
    });
  }

  assignOwner(context: CommandContext, personId: string, ownerId: string, version?: number) {
    return this.execute(context, personId, version, {
      type: 'AssignPersonOwner',
      personId,
      ownerId,
    });
  }

  recordLeadSource(
    context: CommandContext,
    personId: string,
    leadSource: string,
    expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.execute(context, personId, expectedVersion, {
      type: 'RecordPersonLeadSource',
      personId,
      leadSource,
    });
  }

  archive(context: CommandContext, personId: string, expectedVersion?: number) {
    return this.execute(context, personId, expectedVersion, { type: 'ArchivePerson', personId });
  }

  /** A person may only point at a company of the same tenant that exists in this store. */
  private async assertCompanyExists(
    context: CommandContext,
    companyId: string | null | undefined,
  ): Promise<void> {
    if (companyId === null || companyId === undefined) {
      return;
    }
    const streamId = companyStreamId(context.tenantId, companyId);
    const { version } = await this.repository.load(companyDecider, context.tenantId, streamId);
    if (version === 0) {
      throw invalidContact([{ field: 'companyId', reason: 'names no company of this tenant' }]);
    }
  }

  private execute(
    context: CommandContext,
    personId: string,
    expectedVersion: number | undefined,
    command: PersonCommand,
  ): Promise<WriteResult> {
    return this.repository.execute({
      decider: personDecider,
      aggregate: {
        id: personId,
        streamId: personStreamId(context.tenantId, personId),
        streamType: ContactsStreams.person.type,
      },
      context,
      expectedVersion,
      command: () => command,
    });
  }
}
