import {
  INITIAL_SCHEMA_VERSION,
  NewEventOf,
  ContactsEventDataMap,
  SalesRepEvent,
  SalesRepPersonalData,
} from '@relate/contracts';
import { assertUnreachable } from '@relate/errors';
import { Decider } from '@relate/service-kit';

import { assertNoViolations, contactAlreadyExists } from '../contacts.errors';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export type SalesRepCommand = {
  type: 'RegisterSalesRep';
  salesRepId: string;
  personal: SalesRepPersonalData;
  regionalOffice: string | null;
};

export interface SalesRepState {
  registered: boolean;
}

function decide(command: SalesRepCommand, state: SalesRepState) {
  if (state.registered) {
    throw contactAlreadyExists('Sales rep', command.salesRepId);
  }
  const name = command.personal.name.trim();
  const email = command.personal.email?.trim() || null;
  assertNoViolations([
    ...(name === '' ? [{ field: 'name', reason: 'must not be empty' }] : []),
    ...(email !== null && !EMAIL.test(email)
      ? [{ field: 'email', reason: 'must be an email address' }]
      : []),
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

function evolve(state: SalesRepState, event: SalesRepEvent): SalesRepState {
  switch (event.type) {
    case 'SalesRepRegistered':
      return { ...state, registered: true };
    default:
      return assertUnreachable(event.type);
  }
}

export const salesRepDecider: Decider<SalesRepCommand, SalesRepState, SalesRepEvent> = {
  initialState: { registered: false },
  decide,
  evolve,
};
