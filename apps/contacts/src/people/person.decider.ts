import {
  ContactsEventDataMap,
  INITIAL_SCHEMA_VERSION,
  NewEventOf,
  PersonEvent,
  PersonEventType,
  PersonPersonalData,
} from '@relate/contracts';
import { assertUnreachable, FieldViolation } from '@relate/errors';
import { Decider } from '@relate/service-kit';

import {
  assertNoViolations,
  contactAlreadyExists,
  personArchived,
  personNotFound,
} from '../contacts.errors';

export interface PersonChanges extends Partial<PersonPersonalData> {
  title?: string | null;
  companyId?: string | null;
  ownerId?: string;
  leadSource?: string;
}

export type PersonCommand =
  | {
      type: 'RegisterPerson';
      personId: string;
      personal: PersonPersonalData;
      title: string | null;
      companyId: string | null;
      ownerId: string | null;
      leadSource: string | null;
    }
  | { type: 'ChangePersonDetails'; personId: string; changes: PersonChanges }
  | { type: 'LinkPersonToCompany'; personId: string; companyId: string | null }
  | { type: 'AssignPersonOwner'; personId: string; ownerId: string }
  | { type: 'RecordPersonLeadSource'; personId: string; leadSource: string }
  | { type: 'ArchivePerson'; personId: string };

export interface PersonState {
  status: 'unknown' | 'active' | 'archived';
  personal: PersonPersonalData;
  title: string | null;
  companyId: string | null;
  ownerId: string | null;
  leadSource: string | null;
}

type NewPersonEvent = NewEventOf<ContactsEventDataMap, PersonEventType>;

const PERSONAL_FIELDS = ['firstName', 'lastName', 'email', 'phone'] as const;

export const initialPersonState: PersonState = {
  status: 'unknown',
  personal: { firstName: '', lastName: '', email: null, phone: null },
  title: null,
  companyId: null,
  ownerId: null,
  leadSource: null,
};

function event<K extends PersonEventType>(type: K, data: ContactsEventDataMap[K]): NewPersonEvent {
  return { type, schemaVersion: INITIAL_SCHEMA_VERSION, data } as NewPersonEvent;
}

function nameViolations(personal: Partial<PersonPersonalData>): FieldViolation[] {
  return (['firstName', 'lastName'] as const)
    .filter((field) => personal[field] !== undefined && personal[field].trim() === '')
    .map((field) => ({ field, reason: 'must not be empty' }));
}

function register(
  command: Extract<PersonCommand, { type: 'RegisterPerson' }>,
  state: PersonState,
): NewPersonEvent[] {
  if (state.status !== 'unknown') {
    throw contactAlreadyExists('Person', command.personId);
  }
  assertNoViolations(nameViolations(command.personal));
  const { personId, title, companyId, ownerId, leadSource } = command;
  const personal = {
    ...command.personal,
    firstName: command.personal.firstName.trim(),
    lastName: command.personal.lastName.trim(),
  };

  return [event('PersonRegistered', { personId, personal, title, companyId, ownerId, leadSource })];
}

function link(personId: string, companyId: string | null, state: PersonState): NewPersonEvent[] {
  if (companyId === state.companyId) {
    return [];
  }
  if (companyId === null) {
    return [event('PersonUnlinkedFromCompany', { personId, companyId: state.companyId! })];
  }

  return [
    event('PersonLinkedToCompany', { personId, companyId, previousCompanyId: state.companyId }),
  ];
}

function assignOwner(personId: string, ownerId: string, state: PersonState): NewPersonEvent[] {
  return ownerId === state.ownerId
    ? []
    : [event('PersonOwnerAssigned', { personId, ownerId, previousOwnerId: state.ownerId })];
}

function recordLeadSource(
  personId: string,
  leadSource: string,
  state: PersonState,
): NewPersonEvent[] {
  return leadSource === state.leadSource
    ? []
    : [event('PersonLeadSourceRecorded', { personId, leadSource })];
}

function changeDetails(
  command: Extract<PersonCommand, { type: 'ChangePersonDetails' }>,
  state: PersonState,
): NewPersonEvent[] {
  const { title, companyId, ownerId, leadSource, ...personalChanges } = command.changes;
  assertNoViolations(nameViolations(personalChanges));
  const personId = command.personId;
  const personal: Partial<PersonPersonalData> = {};
  for (const field of PERSONAL_FIELDS) {
    const raw = personalChanges[field];
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value !== undefined && value !== state.personal[field]) {
      Object.assign(personal, { [field]: value });
    }
  }
  const titleChanged = title !== undefined && title !== state.title;
  const events: NewPersonEvent[] = [];
  if (Object.keys(personal).length > 0 || titleChanged) {
    events.push(
      event('PersonDetailsChanged', {
        personId,
        ...(Object.keys(personal).length > 0 ? { personal } : {}),
        ...(titleChanged ? { title } : {}),
      }),
    );
  }

  return [
    ...events,
    ...(companyId !== undefined ? link(personId, companyId, state) : []),
    ...(ownerId !== undefined ? assignOwner(personId, ownerId, state) : []),
    ...(leadSource !== undefined ? recordLeadSource(personId, leadSource, state) : []),
  ];
}

function decide(command: PersonCommand, state: PersonState): NewPersonEvent[] {
  if (command.type === 'RegisterPerson') {
    return register(command, state);
  }
  if (state.status === 'unknown') {
    throw personNotFound(command.personId);
  }
  if (state.status === 'archived') {
    if (command.type === 'ArchivePerson') {
      return [];
    }
    throw personArchived(command.personId);
  }
  switch (command.type) {
    case 'ChangePersonDetails':
      return changeDetails(command, state);
    case 'LinkPersonToCompany':
      return link(command.personId, command.companyId, state);
    case 'AssignPersonOwner':
      return assignOwner(command.personId, command.ownerId, state);
    case 'RecordPersonLeadSource':
      return recordLeadSource(command.personId, command.leadSource, state);
    case 'ArchivePerson':
      return [event('PersonArchived', { personId: command.personId })];
    default:
      return assertUnreachable(command);
  }
}

function evolve(state: PersonState, event: PersonEvent): PersonState {
  switch (event.type) {
    case 'PersonRegistered': {
      const { personal, title, companyId, ownerId, leadSource } = event.data;

      return { status: 'active', personal, title, companyId, ownerId, leadSource };
    }
    case 'PersonDetailsChanged':
      return {
        ...state,
        personal: { ...state.personal, ...event.data.personal },
        title: event.data.title !== undefined ? event.data.title : state.title,
      };
    case 'PersonLinkedToCompany':
      return { ...state, companyId: event.data.companyId };
    case 'PersonUnlinkedFromCompany':
      return { ...state, companyId: null };
    case 'PersonOwnerAssigned':
      return { ...state, ownerId: event.data.ownerId };
    case 'PersonLeadSourceRecorded':
      return { ...state, leadSource: event.data.leadSource };
    case 'PersonArchived':
      return { ...state, status: 'archived' };
    default:
      return assertUnreachable(event);
  }
}

export const personDecider: Decider<PersonCommand, PersonState, PersonEvent> = {
  initialState: initialPersonState,
  decide,
  evolve,
};
