import {
  conflict,
  FieldViolation,
  illegalState,
  notFound,
  RelateError,
  validationError,
} from '@relate/errors';

/** Error codes of the contacts service; the gateway maps them by category. */
export const ContactsErrorCodes = {
  validationFailed: 'CONTACTS.VALIDATION_FAILED',
  alreadyExists: 'CONTACTS.ALREADY_EXISTS',
  wrongExpectedVersion: 'CONTACTS.WRONG_EXPECTED_VERSION',
  companyNotFound: 'CONTACTS.COMPANY_NOT_FOUND',
  companyArchived: 'CONTACTS.COMPANY_ARCHIVED',
  personNotFound: 'CONTACTS.PERSON_NOT_FOUND',
  personArchived: 'CONTACTS.PERSON_ARCHIVED',
  salesRepNotFound: 'CONTACTS.SALES_REP_NOT_FOUND',
} as const;

export function invalidContact(violations: FieldViolation[]): RelateError {
  return validationError(ContactsErrorCodes.validationFailed, violations);
}

export function contactAlreadyExists(what: string, id: string): RelateError {
  return conflict(ContactsErrorCodes.alreadyExists, `${what} ${id} already exists`, { id });
}

export function companyNotFound(companyId: string): RelateError {
  return notFound(ContactsErrorCodes.companyNotFound, 'Company', companyId);
}

export function companyArchived(companyId: string): RelateError {
  return illegalState(ContactsErrorCodes.companyArchived, 'An archived company cannot change', {
    companyId,
  });
}

export function personNotFound(personId: string): RelateError {
  return notFound(ContactsErrorCodes.personNotFound, 'Person', personId);
}

export function personArchived(personId: string): RelateError {
  return illegalState(ContactsErrorCodes.personArchived, 'An archived person cannot change', {
    personId,
  });
}

export function salesRepNotFound(salesRepId: string): RelateError {
  return notFound(ContactsErrorCodes.salesRepNotFound, 'Sales rep', salesRepId);
}

/** Throws one validation error listing every violation, if there is any. */
export function assertNoViolations(violations: FieldViolation[]): void {
  if (violations.length > 0) {
    throw invalidContact(violations);
  }
}
