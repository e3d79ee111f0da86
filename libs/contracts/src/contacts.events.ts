/**
 * The contacts context's public event catalogue (topic `crm.contacts.events`).
 *
 * Personal data: everything that identifies a natural person (a person's names, email and
 * phone; a sales rep's and their manager's names) travels only inside the `personal` object of
 * an event's data. Erasing a person therefore means blanking or shredding those objects in the
 * stored events and in read models, without touching any other field, stream version or event
 * id: history stays intact. Companies are legal entities; their fields are not personal data.
 *
 * Every type below is at schemaVersion 1 and only grows compatibly (optional fields); a breaking
 * change gets a new schemaVersion and an upcaster.
 */
import { EventEnvelope } from './envelope';
import { DomainEventOf, EnvelopeOf, NewEventOf, tenantStreamId } from './event-catalogue';

/** Stream types and stream id prefixes of the contacts context (see {@link tenantStreamId}). */
export const ContactsStreams = {
  company: { type: 'Company', prefix: 'company-' },
  person: { type: 'Person', prefix: 'person-' },
  salesRep: { type: 'SalesRep', prefix: 'sales-rep-' },
} as const;

export function companyStreamId(tenantId: string, companyId: string): string {
  return tenantStreamId(ContactsStreams.company.prefix, tenantId, companyId);
}

export function personStreamId(tenantId: string, personId: string): string {
  return tenantStreamId(ContactsStreams.person.prefix, tenantId, personId);
}

export function salesRepStreamId(tenantId: string, salesRepId: string): string {
  return tenantStreamId(ContactsStreams.salesRep.prefix, tenantId, salesRepId);
}

// ---- Company ------------------------------------------------------------------------------

/** Descriptive company fields; `null` means "not known" or "cleared". */
export interface CompanyProfile {
  sector: string | null;
  yearEstablished: number | null;
  /** Annual revenue in the tenant's reporting currency. */
  revenue: number | null;
  employees: number | null;
  officeLocation: string | null;
  parentCompanyId: string | null;
  website: string | null;
  leadSource: string | null;
}

export interface CompanyRegisteredData extends CompanyProfile {
  companyId: string;
  name: string;
  ownerId: string | null;
}

export interface CompanyRenamedData {
  companyId: string;
  name: string;
  previousName: string;
}

/** Only the profile fields that changed are present. */
export interface CompanyDetailsChangedData {
  companyId: string;
  changes: Partial<CompanyProfile>;
}

export interface CompanyOwnerAssignedData {
  companyId: string;
  ownerId: string;
  previousOwnerId: string | null;
}

export interface CompanyArchivedData {
  companyId: string;
}

export interface CompanyUnarchivedData {
  companyId: string;
}

// ---- Person -------------------------------------------------------------------------------

/** Personal data of a person: erasable as a whole (see the file comment). */
export interface PersonPersonalData {
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
}

export interface PersonRegisteredData {
  personId: string;
  personal: PersonPersonalData;
  title: string | null;
  companyId: string | null;
  ownerId: string | null;
  leadSource: string | null;
}

/** Only the fields that changed are present; personal ones inside `personal`. */
export interface PersonDetailsChangedData {
  personId: string;
  personal?: Partial<PersonPersonalData>;
  title?: string | null;
}

export interface PersonLinkedToCompanyData {
  personId: string;
  companyId: string;
  previousCompanyId: string | null;
}

export interface PersonUnlinkedFromCompanyData {
  personId: string;
  companyId: string;
}

export interface PersonOwnerAssignedData {
  personId: string;
  ownerId: string;
  previousOwnerId: string | null;
}

export interface PersonLeadSourceRecordedData {
  personId: string;
  leadSource: string;
}

export interface PersonArchivedData {
  personId: string;
}

// ---- Sales rep ----------------------------------------------------------------------------

/** Personal data of a sales rep: erasable as a whole (see the file comment). */
export interface SalesRepPersonalData {
  name: string;
  /** The manager's name, as the source system knows it. */
  manager: string | null;
  /** Where reminder emails go; absent in events of reps registered without one. */
  email?: string | null;
}

export interface SalesRepRegisteredData {
  salesRepId: string;
  personal: SalesRepPersonalData;
  regionalOffice: string | null;
}

/**
 * Only the fields that changed are present; personal ones inside `personal`. Lets an imported
 * rep (registered without an email) get the address that reminders and rule emails go to.
 */
export interface SalesRepDetailsChangedData {
  salesRepId: string;
  personal?: Partial<SalesRepPersonalData>;
  regionalOffice?: string | null;
}

// ---- Catalogue ----------------------------------------------------------------------------

/** Every contacts event type with its data. The keys are the persisted type strings. */
export interface ContactsEventDataMap {
  CompanyRegistered: CompanyRegisteredData;
  CompanyRenamed: CompanyRenamedData;
  CompanyDetailsChanged: CompanyDetailsChangedData;
  CompanyOwnerAssigned: CompanyOwnerAssignedData;
  CompanyArchived: CompanyArchivedData;
  CompanyUnarchived: CompanyUnarchivedData;
  PersonRegistered: PersonRegisteredData;
  PersonDetailsChanged: PersonDetailsChangedData;
  PersonLinkedToCompany: PersonLinkedToCompanyData;
  PersonUnlinkedFromCompany: PersonUnlinkedFromCompanyData;
  PersonOwnerAssigned: PersonOwnerAssignedData;
  PersonLeadSourceRecorded: PersonLeadSourceRecordedData;
  PersonArchived: PersonArchivedData;
  SalesRepRegistered: SalesRepRegisteredData;
  SalesRepDetailsChanged: SalesRepDetailsChangedData;
}

export type ContactsEventType = keyof ContactsEventDataMap;

/** The persisted type strings, written out: never derive them from class names. */
export const ContactsEventTypes = [
  'CompanyRegistered',
  'CompanyRenamed',
  'CompanyDetailsChanged',
  'CompanyOwnerAssigned',
  'CompanyArchived',
  'CompanyUnarchived',
  'PersonRegistered',
  'PersonDetailsChanged',
  'PersonLinkedToCompany',
  'PersonUnlinkedFromCompany',
  'PersonOwnerAssigned',
  'PersonLeadSourceRecorded',
  'PersonArchived',
  'SalesRepRegistered',
  'SalesRepDetailsChanged',
] as const satisfies readonly ContactsEventType[];

export type CompanyEventType =
  | 'CompanyRegistered'
  | 'CompanyRenamed'
  | 'CompanyDetailsChanged'
  | 'CompanyOwnerAssigned'
  | 'CompanyArchived'
  | 'CompanyUnarchived';
export type PersonEventType =
  | 'PersonRegistered'
  | 'PersonDetailsChanged'
  | 'PersonLinkedToCompany'
  | 'PersonUnlinkedFromCompany'
  | 'PersonOwnerAssigned'
  | 'PersonLeadSourceRecorded'
  | 'PersonArchived';
export type SalesRepEventType = 'SalesRepRegistered' | 'SalesRepDetailsChanged';

export type ContactsEvent = DomainEventOf<ContactsEventDataMap>;
export type CompanyEvent = DomainEventOf<ContactsEventDataMap, CompanyEventType>;
export type PersonEvent = DomainEventOf<ContactsEventDataMap, PersonEventType>;
export type SalesRepEvent = DomainEventOf<ContactsEventDataMap, SalesRepEventType>;
export type NewContactsEvent = NewEventOf<ContactsEventDataMap>;
export type ContactsEventEnvelope = EnvelopeOf<ContactsEventDataMap>;

export function isContactsEventType(type: string): type is ContactsEventType {
  return (ContactsEventTypes as readonly string[]).includes(type);
}

/** Whether a stored event is one of this catalogue's; a consumer may also see other topics. */
export function isContactsEnvelope(envelope: EventEnvelope): envelope is ContactsEventEnvelope {
  return isContactsEventType(envelope.type);
}
