import { Inject, Injectable } from '@nestjs/common';

import {
  ChangePersonRequest,
  CommandContext,
  companyStreamId,
  ContactsStreams,
  RegisterPersonRequest,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator } from '@relate/event-store';
import {
  aggregateRef,
  CommandTarget,
  EventSourcedRepository,
  ID_GENERATOR,
} from '@relate/service-kit';

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

    return this.execute(
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

    return this.execute(target, { type: 'ChangePersonDetails', personId: target.id, changes });
  }

  async linkToCompany(target: CommandTarget, companyId: string | null): Promise<WriteResult> {
    await this.assertCompanyExists(target.context, companyId);

    return this.execute(target, { type: 'LinkPersonToCompany', personId: target.id, companyId });
  }

  assignOwner(target: CommandTarget, ownerId: string): Promise<WriteResult> {
    return this.execute(target, { type: 'AssignPersonOwner', personId: target.id, ownerId });
  }

  recordLeadSource(target: CommandTarget, leadSource: string): Promise<WriteResult> {
    return this.execute(target, {
      type: 'RecordPersonLeadSource',
      personId: target.id,
      leadSource,
    });
  }

  archive(target: CommandTarget): Promise<WriteResult> {
    return this.execute(target, { type: 'ArchivePerson', personId: target.id });
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

  private execute(target: CommandTarget, command: PersonCommand): Promise<WriteResult> {
    const { context, id, expectedVersion } = target;

    return this.repository.execute({
      decider: personDecider,
      aggregate: aggregateRef(ContactsStreams.person, context.tenantId, id),
      context,
      expectedVersion,
      command: () => command,
    });
  }
}
