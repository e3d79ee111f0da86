import { illegalState, RelateError, serviceErrors } from '@relate/errors';

const errors = serviceErrors('CONTACTS');

/** Error codes of the contacts service; the gateway maps them by category. */
export const ContactsErrorCodes = {
  ...errors.codes,
  wrongExpectedVersion: 'CONTACTS.WRONG_EXPECTED_VERSION',
  companyNotFound: 'CONTACTS.COMPANY_NOT_FOUND',
  companyArchived: 'CONTACTS.COMPANY_ARCHIVED',
  personNotFound: 'CONTACTS.PERSON_NOT_FOUND',
  personArchived: 'CONTACTS.PERSON_ARCHIVED',
  salesRepNotFound: 'CONTACTS.SALES_REP_NOT_FOUND',
} as const;

export const invalidContact = errors.invalidInput;
export const contactAlreadyExists = errors.alreadyExists;
export const assertNoViolations = errors.assertNoViolations;

export const companyNotFound = errors.notFoundOf(ContactsErrorCodes.companyNotFound, 'Company');
export const personNotFound = errors.notFoundOf(ContactsErrorCodes.personNotFound, 'Person');
export const salesRepNotFound = errors.notFoundOf(ContactsErrorCodes.salesRepNotFound, 'Sales rep');

export function companyArchived(companyId: string): RelateError {
  return illegalState(ContactsErrorCodes.companyArchived, 'An archived company cannot change', {
    companyId,
  });
}

export function personArchived(personId: string): RelateError {
  return illegalState(ContactsErrorCodes.personArchived, 'An archived person cannot change', {
    personId,
  });
}
