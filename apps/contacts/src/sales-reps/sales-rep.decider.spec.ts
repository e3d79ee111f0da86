import { deciderSpecification } from '@relate/service-kit';

import { salesRepDecider } from './sales-rep.decider';

const salesRepId = '0190a0b0-0000-7000-8000-00000000b001';

describe('salesRepDecider', () => {
  const spec = deciderSpecification(salesRepDecider);
  const register = {
    type: 'RegisterSalesRep' as const,
    salesRepId,
    personal: { name: ' Dustin Brinkmann ', manager: 'Cara Losch' },
    regionalOffice: 'Central',
  };

  it('registers a sales rep with the names as personal data', () => {
    spec
      .given([])
      .when(register)
      .then([
        {
          type: 'SalesRepRegistered',
          data: {
            salesRepId,
            personal: { name: 'Dustin Brinkmann', manager: 'Cara Losch' },
            regionalOffice: 'Central',
          },
        },
      ]);
  });

  it('records the email as personal data when one is given', () => {
    spec
      .given([])
      .when({ ...register, personal: { name: 'D', manager: null, email: ' d@example.test ' } })
      .then([
        {
          type: 'SalesRepRegistered',
          data: {
            salesRepId,
            personal: { name: 'D', manager: null, email: 'd@example.test' },
            regionalOffice: 'Central',
          },
        },
      ]);
  });

  it('refuses an email that is not an address', () => {
    spec
      .given([])
      .when({ ...register, personal: { name: 'D', manager: null, email: 'nobody' } })
      .thenThrows({
        code: 'CONTACTS.VALIDATION_FAILED',
        category: 'validation',
        violations: [{ field: 'email', reason: 'must be an email address' }],
      });
  });

  it('refuses to register the same rep twice', () => {
    spec
      .given([
        {
          type: 'SalesRepRegistered',
          data: { salesRepId, personal: { name: 'D', manager: null }, regionalOffice: null },
        },
      ])
      .when(register)
      .thenThrows({ code: 'CONTACTS.ALREADY_EXISTS', category: 'conflict' });
  });

  describe('changing details', () => {
    const registered = {
      type: 'SalesRepRegistered' as const,
      data: {
        salesRepId,
        personal: { name: 'Dustin Brinkmann', manager: 'Cara Losch' },
        regionalOffice: 'Central',
      },
    };
    const change = (changes: Record<string, string | null>) => ({
      type: 'ChangeSalesRepDetails' as const,
      salesRepId,
      changes,
    });

    it('gives an imported rep an email, as personal data', () => {
      spec
        .given([registered])
        .when(change({ email: ' dustin@example.test ' }))
        .then([
          {
            type: 'SalesRepDetailsChanged',
            data: { salesRepId, personal: { email: 'dustin@example.test' } },
          },
        ]);
    });

    it('records only the fields that changed: manager and office', () => {
      spec
        .given([registered])
        .when(
          change({ name: 'Dustin Brinkmann', manager: 'Rocco Neubert', regionalOffice: 'West' }),
        )
        .then([
          {
            type: 'SalesRepDetailsChanged',
            data: { salesRepId, personal: { manager: 'Rocco Neubert' }, regionalOffice: 'West' },
          },
        ]);
    });

    it('records nothing when nothing changes, including an email it already has', () => {
      spec
        .given([
          registered,
          { type: 'SalesRepDetailsChanged', data: { salesRepId, personal: { email: 'd@x.test' } } },
        ])
        .when(change({ email: 'd@x.test', regionalOffice: 'Central' }))
        .then([]);
    });

    it('clears the email with null', () => {
      spec
        .given([
          registered,
          { type: 'SalesRepDetailsChanged', data: { salesRepId, personal: { email: 'd@x.test' } } },
        ])
        .when(change({ email: null }))
        .then([
          { type: 'SalesRepDetailsChanged', data: { salesRepId, personal: { email: null } } },
        ]);
    });

    it('refuses a bad email and an empty name', () => {
      spec
        .given([registered])
        .when(change({ email: 'nobody', name: ' ' }))
        .thenThrows({
          code: 'CONTACTS.VALIDATION_FAILED',
          category: 'validation',
          violations: [
            { field: 'name', reason: 'must not be empty' },
            { field: 'email', reason: 'must be an email address' },
          ],
        });
    });

    it('refuses to change a rep that was never registered', () => {
      spec
        .given([])
        .when(change({ email: 'd@x.test' }))
        .thenThrows({ code: 'CONTACTS.SALES_REP_NOT_FOUND', category: 'not_found' });
    });
  });
});
