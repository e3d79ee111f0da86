import {
  CompanyEvent,
  CompanyEventType,
  CompanyProfile,
  ContactsEventDataMap,
  INITIAL_SCHEMA_VERSION,
  NewEventOf,
} from '@relate/contracts';
import { assertUnreachable, FieldViolation } from '@relate/errors';
import { Decider, moneyViolations } from '@relate/service-kit';

import {
  assertNoViolations,
  companyArchived,
  companyNotFound,
  contactAlreadyExists,
} from '../contacts.errors';

export type CompanyChanges = Partial<CompanyProfile> & { name?: string; ownerId?: string };

export type CompanyCommand =
  | {
      type: 'RegisterCompany';
      companyId: string;
      name: string;
      profile: CompanyProfile;
      ownerId: string | null;
    }
  | { type: 'ChangeCompanyDetails'; companyId: string; changes: CompanyChanges }
  | { type: 'AssignCompanyOwner'; companyId: string; ownerId: string }
  | { type: 'ArchiveCompany'; companyId: string }
  | { type: 'UnarchiveCompany'; companyId: string };

export interface CompanyState {
  status: 'unknown' | 'active' | 'archived';
  name: string;
  ownerId: string | null;
  profile: CompanyProfile;
}

type NewCompanyEvent = NewEventOf<ContactsEventDataMap, CompanyEventType>;

const EMPTY_PROFILE: CompanyProfile = {
  sector: null,
  yearEstablished: null,
  revenue: null,
  employees: null,
  officeLocation: null,
  parentCompanyId: null,
  website: null,
  leadSource: null,
};

const PROFILE_FIELDS = Object.keys(EMPTY_PROFILE) as Array<keyof CompanyProfile>;

export const initialCompanyState: CompanyState = {
  status: 'unknown',
  name: '',
  ownerId: null,
  profile: EMPTY_PROFILE,
};

function event<K extends CompanyEventType>(
  type: K,
  data: ContactsEventDataMap[K],
): NewCompanyEvent {
  return { type, schemaVersion: INITIAL_SCHEMA_VERSION, data } as NewCompanyEvent;
}

function profileViolations(
  companyId: string,
  profile: Partial<CompanyProfile>,
  now: Date,
): FieldViolation[] {
  const violations: FieldViolation[] = [...moneyViolations('revenue', profile.revenue)];
  if (profile.employees != null && profile.employees < 0) {
    violations.push({ field: 'employees', reason: 'must not be negative' });
  }
  if (profile.yearEstablished != null && profile.yearEstablished > now.getUTCFullYear()) {
    violations.push({ field: 'yearEstablished', reason: 'must not be in the future' });
  }
  if (profile.parentCompanyId === companyId) {
    violations.push({ field: 'parentCompanyId', reason: 'a company cannot be its own parent' });
  }

  return violations;
}

function nameViolations(name: string | undefined): FieldViolation[] {
  return name !== undefined && name.trim() === ''
    ? [{ field: 'name', reason: 'must not be empty' }]
    : [];
}

function register(
  command: Extract<CompanyCommand, { type: 'RegisterCompany' }>,
  state: CompanyState,
  now: Date,
): NewCompanyEvent[] {
  if (state.status !== 'unknown') {
    throw contactAlreadyExists('Company', command.companyId);
  }
  assertNoViolations([
    ...nameViolations(command.name),
    ...profileViolations(command.companyId, command.profile, now),
  ]);

  return [
    event('CompanyRegistered', {
      companyId: command.companyId,
      name: command.name.trim(),
      ...command.profile,
      ownerId: command.ownerId,
    }),
  ];
}

function changeDetails(
  command: Extract<CompanyCommand, { type: 'ChangeCompanyDetails' }>,
  state: CompanyState,
  now: Date,
): NewCompanyEvent[] {
  const { name, ownerId, ...profile } = command.changes;
  assertNoViolations([
    ...nameViolations(name),
    ...profileViolations(command.companyId, profile, now),
  ]);
  const events: NewCompanyEvent[] = [];
  const companyId = command.companyId;
  if (name !== undefined && name.trim() !== state.name) {
    events.push(
      event('CompanyRenamed', { companyId, name: name.trim(), previousName: state.name }),
    );
  }
  const changes: Partial<CompanyProfile> = {};
  for (const field of PROFILE_FIELDS) {
    const value = profile[field];
    if (value !== undefined && value !== state.profile[field]) {
      Object.assign(changes, { [field]: value });
    }
  }
  if (Object.keys(changes).length > 0) {
    events.push(event('CompanyDetailsChanged', { companyId, changes }));
  }
  if (ownerId !== undefined && ownerId !== state.ownerId) {
    events.push(
      event('CompanyOwnerAssigned', { companyId, ownerId, previousOwnerId: state.ownerId }),
    );
  }

  return events;
}

function decide(command: CompanyCommand, state: CompanyState, now: Date): NewCompanyEvent[] {
  if (command.type === 'RegisterCompany') {
    return register(command, state, now);
  }
  if (state.status === 'unknown') {
    throw companyNotFound(command.companyId);
  }
  if (state.status === 'archived' && command.type !== 'UnarchiveCompany') {
    // Archiving twice is harmless and keeps retries idempotent; any other change is refused.
    if (command.type === 'ArchiveCompany') {
      return [];
    }
    throw companyArchived(command.companyId);
  }
  const companyId = command.companyId;
  switch (command.type) {
    case 'ChangeCompanyDetails':
      return changeDetails(command, state, now);
    case 'AssignCompanyOwner':
      return command.ownerId === state.ownerId
        ? []
        : [
            event('CompanyOwnerAssigned', {
              companyId,
              ownerId: command.ownerId,
              previousOwnerId: state.ownerId,
            }),
          ];
    case 'ArchiveCompany':
      return [event('CompanyArchived', { companyId })];
    case 'UnarchiveCompany':
      return state.status === 'archived' ? [event('CompanyUnarchived', { companyId })] : [];
    default:
      return assertUnreachable(command);
  }
}

function evolve(state: CompanyState, event: CompanyEvent): CompanyState {
  switch (event.type) {
    case 'CompanyRegistered': {
      const { companyId: _companyId, name, ownerId, ...profile } = event.data;

      return { status: 'active', name, ownerId, profile };
    }
    case 'CompanyRenamed':
      return { ...state, name: event.data.name };
    case 'CompanyDetailsChanged':
      return { ...state, profile: { ...state.profile, ...event.data.changes } };
    case 'CompanyOwnerAssigned':
      return { ...state, ownerId: event.data.ownerId };
    case 'CompanyArchived':
      return { ...state, status: 'archived' };
    case 'CompanyUnarchived':
      return { ...state, status: 'active' };
    default:
      return assertUnreachable(event);
  }
}

export const companyDecider: Decider<CompanyCommand, CompanyState, CompanyEvent> = {
  initialState: initialCompanyState,
  decide,
  evolve,
};
