import { PersonEvent, PersonPersonalData } from '@relate/contracts';
import { deciderSpecification } from '@relate/service-kit';

import { personDecider } from './person.decider';

const personId = '0190a0b0-0000-7000-8000-00000000a001';
const companyId = '0190a0b0-0000-7000-8000-00000000c001';
const otherCompanyId = '0190a0b0-0000-7000-8000-00000000c002';

const personal = (overrides: Partial<PersonPersonalData> = {}): PersonPersonalData => ({
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.test',
  phone: null,
  ...overrides,
});

const registered = (companyOfPerson: string | null = companyId): PersonEvent => ({
  type: 'PersonRegistered',
  data: {
    personId,
    personal: personal(),
    title: 'CTO',
    companyId: companyOfPerson,
    ownerId: null,
    leadSource: null,
  },
});

describe('personDecider', () => {
  const spec = deciderSpecification(personDecider);

  it('registers a person with personal data kept apart', () => {
    spec
      .given([])
      .when({
        type: 'RegisterPerson',
        personId,
        personal: personal({ firstName: ' Ada ' }),
        title: 'CTO',
        companyId,
        ownerId: null,
        leadSource: null,
      })
      .then([registered()]);
  });

  it('refuses an empty first or last name', () => {
    spec
      .given([])
      .when({
        type: 'RegisterPerson',
        personId,
        personal: personal({ firstName: '', lastName: ' ' }),
        title: null,
        companyId: null,
        ownerId: null,
        leadSource: null,
      })
      .thenThrows({
        code: 'CONTACTS.VALIDATION_FAILED',
        category: 'validation',
        violations: [
          { field: 'firstName', reason: 'must not be empty' },
          { field: 'lastName', reason: 'must not be empty' },
        ],
      });
  });

  describe('LinkPersonToCompany', () => {
    it('links to another company and remembers the previous one', () => {
      spec
        .given([registered()])
        .when({ type: 'LinkPersonToCompany', personId, companyId: otherCompanyId })
        .then([
          {
            type: 'PersonLinkedToCompany',
            data: { personId, companyId: otherCompanyId, previousCompanyId: companyId },
          },
        ]);
    });

    it('unlinks when the company is null', () => {
      spec
        .given([registered()])
        .when({ type: 'LinkPersonToCompany', personId, companyId: null })
        .then([{ type: 'PersonUnlinkedFromCompany', data: { personId, companyId } }]);
    });

    it('records nothing when a person without company is unlinked', () => {
      spec
        .given([registered(null)])
        .when({ type: 'LinkPersonToCompany', personId, companyId: null })
        .then([]);
    });
  });

  it('splits a partial update into personal details, link, owner and lead source facts', () => {
    spec
      .given([registered()])
      .when({
        type: 'ChangePersonDetails',
        personId,
        changes: {
          email: null,
          lastName: 'Byron',
          title: 'CTO',
          companyId: null,
          ownerId: 'rep-9',
          leadSource: 'Referral',
        },
      })
      .then([
        {
          type: 'PersonDetailsChanged',
          data: { personId, personal: { lastName: 'Byron', email: null } },
        },
        { type: 'PersonUnlinkedFromCompany', data: { personId, companyId } },
        {
          type: 'PersonOwnerAssigned',
          data: { personId, ownerId: 'rep-9', previousOwnerId: null },
        },
        { type: 'PersonLeadSourceRecorded', data: { personId, leadSource: 'Referral' } },
      ]);
  });

  it('records a lead source only when it changes', () => {
    spec
      .given([
        registered(),
        { type: 'PersonLeadSourceRecorded', data: { personId, leadSource: 'Web' } },
      ])
      .when({ type: 'RecordPersonLeadSource', personId, leadSource: 'Web' })
      .then([]);
  });

  it('refuses changes to an archived person', () => {
    spec
      .given([registered(), { type: 'PersonArchived', data: { personId } }])
      .when({ type: 'AssignPersonOwner', personId, ownerId: 'rep-1' })
      .thenThrows({ code: 'CONTACTS.PERSON_ARCHIVED', category: 'illegal_state' });
  });

  it('answers not found for an unknown person', () => {
    spec
      .given([])
      .when({ type: 'ArchivePerson', personId })
      .thenThrows({ code: 'CONTACTS.PERSON_NOT_FOUND', category: 'not_found' });
  });
});
