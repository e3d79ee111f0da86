import {
  INITIAL_SCHEMA_VERSION,
  NewEventOf,
  ContactsEventDataMap,
  SalesRepEvent,
  SalesRepEventType,
  SalesRepPersonalData,
} from '@relate/contracts';
import { assertUnreachable, FieldViolation } from '@relate/errors';
import { Decider } from '@relate/service-kit';

import { assertNoViolations, contactAlreadyExists, salesRepNotFound } from '../contacts.errors';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Only the fields given change; `null` clears manager, office or email. */
export interface SalesRepChanges {
  name?: string;
  manager?: string | null;
  email?: string | null;
  regionalOffice?: string | null;
}

export type SalesRepCommand =
  | {
      type: 'RegisterSalesRep';
      salesRepId: string;
      personal: SalesRepPersonalData;
      regionalOffice: string | null;
    }
  | { type: 'ChangeSalesRepDetails'; salesRepId: string; changes: SalesRepChanges };

export interface SalesRepState {
  registered: boolean;
  name: string;
  manager: string | null;
  email: string | null;
  regionalOffice: string | null;
}

type NewSalesRepEvent = NewEventOf<ContactsEventDataMap, SalesRepEventType>;

function emailViolations(email: string | null): FieldViolation[] {
  return email !== null && !EMAIL.test(email)
    ? [{ field: 'email', reason: 'must be an email address' }]
    : [];
}

function register(
  command: Extract<SalesRepCommand, { type: 'RegisterSalesRep' }>,
  state: SalesRepState,
): NewSalesRepEvent[] {
  if (state.registered) {
    throw contactAlreadyExists('Sales rep', command.salesRepId);
  }
  const name = command.personal.name.trim();
  const email = command.personal.email?.trim() || null;
  assertNoViolations([
    ...(name === '' ? [{ field: 'name', reason: 'must not be empty' }] : []),
    ...emailViolations(email),
  ]);
  // Reps registered without an email keep the event shape they always had (no `email` key).
  const personal: SalesRepPersonalData = { name, manager: command.personal.manager };
  const registered: NewEventOf<ContactsEventDataMap, 'SalesRepRegistered'> = {
    type: 'SalesRepRegistered',
    schemaVersion: INITIAL_SCHEMA_VERSION,
    data: {
      salesRepId: command.salesRepId,
      personal: email === null ? personal : { ...personal, email },
      regionalOffice: command.regionalOffice,
    },
  };

  return [registered];
}

/** Blank optional strings mean "cleared", like an absent value at registration. */
function optional(value: string | null | undefined): string | null | undefined {
  return value === undefined ? undefined : value?.trim() || null;
}

function changeDetails(
  command: Extract<SalesRepCommand, { type: 'ChangeSalesRepDetails' }>,
  state: SalesRepState,
): NewSalesRepEvent[] {
  const name = command.changes.name?.trim();
  const manager = optional(command.changes.manager);
  const email = optional(command.changes.email);
  const regionalOffice = optional(command.changes.regionalOffice);
  assertNoViolations([
    ...(name === '' ? [{ field: 'name', reason: 'must not be empty' }] : []),
    ...emailViolations(email ?? null),
  ]);
  const personal: Partial<SalesRepPersonalData> = {
    ...(name !== undefined && name !== state.name ? { name } : {}),
    ...(manager !== undefined && manager !== state.manager ? { manager } : {}),
    ...(email !== undefined && email !== state.email ? { email } : {}),
  };
  const officeChanged = regionalOffice !== undefined && regionalOffice !== state.regionalOffice;
  // Nothing changed: no event, so a repeated PATCH is harmless.
  if (Object.keys(personal).length === 0 && !officeChanged) {
    return [];
  }
  const changed: NewEventOf<ContactsEventDataMap, 'SalesRepDetailsChanged'> = {
    type: 'SalesRepDetailsChanged',
    schemaVersion: INITIAL_SCHEMA_VERSION,
    data: {
      salesRepId: command.salesRepId,
      ...(Object.keys(personal).length > 0 ? { personal } : {}),
      ...(officeChanged ? { regionalOffice } : {}),
    },
  };

  return [changed];
}

function decide(command: SalesRepCommand, state: SalesRepState): NewSalesRepEvent[] {
  switch (command.type) {
    case 'RegisterSalesRep':
      return register(command, state);
    case 'ChangeSalesRepDetails':
      if (!state.registered) {
        throw salesRepNotFound(command.salesRepId);
      }
      return changeDetails(command, state);
    default:
      return assertUnreachable(command);
  }
}

function evolve(state: SalesRepState, event: SalesRepEvent): SalesRepState {
  switch (event.type) {
    case 'SalesRepRegistered':
      return {
        registered: true,
        name: event.data.personal.name,
        manager: event.data.personal.manager,
        email: event.data.personal.email ?? null,
        regionalOffice: event.data.regionalOffice,
      };
    case 'SalesRepDetailsChanged':
      return {
        ...state,
        ...event.data.personal,
        ...(event.data.regionalOffice !== undefined
          ? { regionalOffice: event.data.regionalOffice }
          : {}),
      };
    default:
      return assertUnreachable(event);
  }
}

export const salesRepDecider: Decider<SalesRepCommand, SalesRepState, SalesRepEvent> = {
  initialState: { registered: false, name: '', manager: null, email: null, regionalOffice: null },
  decide,
  evolve,
};
