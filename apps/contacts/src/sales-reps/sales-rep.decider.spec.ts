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
});
