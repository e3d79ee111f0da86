import {
  ContactsEventEnvelope,
  isContactsEnvelope,
  PipelineEventEnvelope,
} from '@relate/contracts';

/** One line of a record's timeline that a contacts or pipeline event makes. */
export interface RecordChange {
  recordType: 'person' | 'company' | 'deal';
  recordId: string;
  /** Short and human; a stage move's names are added at read time (see timeline query). */
  summary: string;
  pipelineId?: string;
  fromStageId?: string;
  toStageId?: string;
}

function money(value: number | null, currency: string): string {
  return value === null ? 'no value' : `${value} ${currency}`;
}

/** Field names of a partial change, as a list a person reads. */
function fieldsOf(changes: object): string {
  const names = Object.keys(changes);

  return names.length === 0 ? 'nothing' : names.join(', ');
}

function contactsChanges(event: ContactsEventEnvelope): RecordChange[] {
  const company = (id: string, summary: string): RecordChange => ({
    recordType: 'company',
    recordId: id,
    summary,
  });
  const person = (id: string, summary: string): RecordChange => ({
    recordType: 'person',
    recordId: id,
    summary,
  });
  switch (event.type) {
    case 'CompanyRegistered':
      return [company(event.data.companyId, `Company registered as ${event.data.name}`)];
    case 'CompanyRenamed': {
      const { companyId, previousName, name } = event.data;

      return [company(companyId, `Renamed from ${previousName} to ${name}`)];
    }
    case 'CompanyDetailsChanged':
      return [company(event.data.companyId, `Details changed: ${fieldsOf(event.data.changes)}`)];
    case 'CompanyOwnerAssigned':
      return [company(event.data.companyId, 'Owner assigned')];
    case 'CompanyArchived':
      return [company(event.data.companyId, 'Archived')];
    case 'CompanyUnarchived':
      return [company(event.data.companyId, 'Unarchived')];
    // Personal data (names, email) stays out of summaries: they are not erased with the person.
    case 'PersonRegistered': {
      const { personId, companyId } = event.data;
      const registered = person(personId, 'Person registered');

      return companyId ? [registered, company(companyId, 'Person added')] : [registered];
    }
    case 'PersonDetailsChanged': {
      const { personId, personal, title } = event.data;
      const fields = { ...personal, ...(title === undefined ? {} : { title }) };

      return [person(personId, `Details changed: ${fieldsOf(fields)}`)];
    }
    case 'PersonLinkedToCompany': {
      const { personId, companyId } = event.data;

      return [person(personId, 'Linked to a company'), company(companyId, 'Person linked')];
    }
    case 'PersonUnlinkedFromCompany': {
      const { personId, companyId } = event.data;

      return [person(personId, 'Unlinked from its company'), company(companyId, 'Person unlinked')];
    }
    case 'PersonOwnerAssigned':
      return [person(event.data.personId, 'Owner assigned')];
    case 'PersonLeadSourceRecorded':
      return [person(event.data.personId, `Lead source recorded: ${event.data.leadSource}`)];
    case 'PersonArchived':
      return [person(event.data.personId, 'Archived')];
    default:
      return [];
  }
}

function pipelineChanges(event: PipelineEventEnvelope): RecordChange[] {
  const deal = (id: string, summary: string, stages: Partial<RecordChange> = {}): RecordChange => ({
    recordType: 'deal',
    recordId: id,
    summary,
    ...stages,
  });
  switch (event.type) {
    case 'DealOpened': {
      const { dealId, title, companyId, personId, pipelineId, stageId } = event.data;
      const opened = `Deal opened: ${title}`;
      const related: RecordChange[] = [
        ...(companyId
          ? [{ recordType: 'company' as const, recordId: companyId, summary: opened }]
          : []),
        ...(personId
          ? [{ recordType: 'person' as const, recordId: personId, summary: opened }]
          : []),
      ];

      return [deal(dealId, 'Deal opened', { pipelineId, toStageId: stageId }), ...related];
    }
    case 'DealMovedToStage': {
      const { dealId, pipelineId, fromStageId, toStageId } = event.data;

      return [deal(dealId, 'Stage changed', { pipelineId, fromStageId, toStageId })];
    }
    case 'DealRenamed':
      return [deal(event.data.dealId, `Renamed to ${event.data.title}`)];
    case 'DealValueChanged': {
      const { dealId, previousValue, value, currency } = event.data;

      return [
        deal(
          dealId,
          `Value changed from ${money(previousValue, currency)} to ${money(value, currency)}`,
        ),
      ];
    }
    case 'DealExpectedCloseDateChanged': {
      const { dealId, expectedCloseDate } = event.data;

      return [deal(dealId, `Expected close date changed to ${expectedCloseDate ?? 'none'}`)];
    }
    case 'DealProductChanged':
      return [deal(event.data.dealId, 'Product changed')];
    case 'DealOwnerAssigned':
      return [deal(event.data.dealId, 'Owner assigned')];
    case 'DealWon': {
      const { dealId, value, currency, pipelineId, fromStageId, stageId } = event.data;

      return [
        deal(dealId, `Won at ${money(value, currency)}`, {
          pipelineId,
          fromStageId,
          toStageId: stageId,
        }),
      ];
    }
    case 'DealLost': {
      const { dealId, reason, pipelineId, fromStageId, stageId } = event.data;

      return [deal(dealId, `Lost: ${reason}`, { pipelineId, fromStageId, toStageId: stageId })];
    }
    default:
      return [];
  }
}

/**
 * The timeline lines of a contacts or pipeline event: the record's own, plus a line on the
 * company (or person) a person or deal belongs to. Not exhaustive on purpose: other event types,
 * present or future, make no line.
 */
export function changesOf(event: ContactsEventEnvelope | PipelineEventEnvelope): RecordChange[] {
  return isContactsEnvelope(event) ? contactsChanges(event) : pipelineChanges(event);
}
