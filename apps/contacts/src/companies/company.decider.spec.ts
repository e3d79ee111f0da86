import { CompanyEvent, CompanyProfile } from '@relate/contracts';
import { deciderSpecification } from '@relate/service-kit';

import { companyDecider } from './company.decider';

const companyId = '0190a0b0-0000-7000-8000-00000000c001';

const profile = (overrides: Partial<CompanyProfile> = {}): CompanyProfile => ({
  sector: 'technolgy',
  yearEstablished: 1999,
  revenue: 1200.5,
  employees: 40,
  officeLocation: 'United States',
  parentCompanyId: null,
  website: null,
  leadSource: null,
  ...overrides,
});

const registered: CompanyEvent = {
  type: 'CompanyRegistered',
  data: { companyId, name: 'Acme', ownerId: null, ...profile() },
};

describe('companyDecider', () => {
  const spec = deciderSpecification(companyDecider);

  describe('RegisterCompany', () => {
    it('registers a new company with a trimmed name', () => {
      spec
        .given([])
        .when({
          type: 'RegisterCompany',
          companyId,
          name: ' Acme ',
          profile: profile(),
          ownerId: null,
        })
        .then([registered]);
    });

    it('refuses a second registration of the same id as already existing', () => {
      spec
        .given([registered])
        .when({
          type: 'RegisterCompany',
          companyId,
          name: 'Acme',
          profile: profile(),
          ownerId: null,
        })
        .thenThrows({ code: 'CONTACTS.ALREADY_EXISTS', category: 'conflict' });
    });

    it('lists every invalid field at once', () => {
      spec
        .given([])
        .when({
          type: 'RegisterCompany',
          companyId,
          name: '  ',
          profile: profile({ revenue: -1, yearEstablished: 2999, parentCompanyId: companyId }),
          ownerId: null,
        })
        .thenThrows({
          code: 'CONTACTS.VALIDATION_FAILED',
          category: 'validation',
          violations: [
            { field: 'name', reason: 'must not be empty' },
            { field: 'revenue', reason: 'must not be negative' },
            { field: 'yearEstablished', reason: 'must not be in the future' },
            { field: 'parentCompanyId', reason: 'a company cannot be its own parent' },
          ],
        });
    });

    it('refuses a revenue above the maximum amount', () => {
      spec
        .given([])
        .when({
          type: 'RegisterCompany',
          companyId,
          name: 'Acme',
          profile: profile({ revenue: 1e18 }),
          ownerId: null,
        })
        .thenThrows({
          code: 'CONTACTS.VALIDATION_FAILED',
          category: 'validation',
          violations: [{ field: 'revenue', reason: 'must not be greater than 1000000000000' }],
        });
    });
  });

  describe('ChangeCompanyDetails', () => {
    it('records a rename, the changed profile fields and a new owner as separate facts', () => {
      spec
        .given([registered])
        .when({
          type: 'ChangeCompanyDetails',
          companyId,
          changes: { name: 'Acme Corp', sector: 'technolgy', employees: 41, ownerId: 'rep-1' },
        })
        .then([
          { type: 'CompanyRenamed', data: { companyId, name: 'Acme Corp', previousName: 'Acme' } },
          { type: 'CompanyDetailsChanged', data: { companyId, changes: { employees: 41 } } },
          {
            type: 'CompanyOwnerAssigned',
            data: { companyId, ownerId: 'rep-1', previousOwnerId: null },
          },
        ]);
    });

    it('records nothing when nothing changes', () => {
      spec
        .given([registered])
        .when({
          type: 'ChangeCompanyDetails',
          companyId,
          changes: { name: 'Acme', revenue: 1200.5 },
        })
        .then([]);
    });

    it('clears a field set to null', () => {
      spec
        .given([registered])
        .when({ type: 'ChangeCompanyDetails', companyId, changes: { sector: null } })
        .then([{ type: 'CompanyDetailsChanged', data: { companyId, changes: { sector: null } } }]);
    });

    it('answers not found for a company that was never registered', () => {
      spec
        .given([])
        .when({ type: 'ChangeCompanyDetails', companyId, changes: { name: 'X' } })
        .thenThrows({ code: 'CONTACTS.COMPANY_NOT_FOUND', category: 'not_found' });
    });
  });

  describe('when archived', () => {
    const archived: CompanyEvent[] = [registered, { type: 'CompanyArchived', data: { companyId } }];

    it('refuses changes as illegal in that state', () => {
      spec
        .given(archived)
        .when({ type: 'AssignCompanyOwner', companyId, ownerId: 'rep-2' })
        .thenThrows({ code: 'CONTACTS.COMPANY_ARCHIVED', category: 'illegal_state' });
    });

    it('treats a second archive as done', () => {
      spec.given(archived).when({ type: 'ArchiveCompany', companyId }).then([]);
    });

    it('unarchives, after which changes are accepted again', () => {
      spec
        .given(archived)
        .when({ type: 'UnarchiveCompany', companyId })
        .then([{ type: 'CompanyUnarchived', data: { companyId } }]);
      spec
        .given([...archived, { type: 'CompanyUnarchived', data: { companyId } }])
        .when({ type: 'AssignCompanyOwner', companyId, ownerId: 'rep-2' })
        .then([
          {
            type: 'CompanyOwnerAssigned',
            data: { companyId, ownerId: 'rep-2', previousOwnerId: null },
          },
        ]);
    });
  });

  it('assigns an owner only when it differs from the current one', () => {
    const assigned: CompanyEvent = {
      type: 'CompanyOwnerAssigned',
      data: { companyId, ownerId: 'rep-1', previousOwnerId: null },
    };
    spec
      .given([registered, assigned])
      .when({ type: 'AssignCompanyOwner', companyId, ownerId: 'rep-1' })
      .then([]);
  });
});
