/** Requests and answers of the contacts resources (gateway `/api/v1`, contacts service `/`). */
import { PageQuery } from './http.api';

export interface RegisterCompanyRequest {
  /** Client-chosen UUID, so that an import can retry without creating twice. */
  id?: string;
  name: string;
  sector?: string | null;
  yearEstablished?: number | null;
  revenue?: number | null;
  employees?: number | null;
  officeLocation?: string | null;
  parentCompanyId?: string | null;
  ownerId?: string | null;
  leadSource?: string | null;
  website?: string | null;
}

/** PATCH: only the fields present change; `null` clears a field. */
export type ChangeCompanyRequest = Partial<Omit<RegisterCompanyRequest, 'id' | 'ownerId'>> & {
  ownerId?: string;
};

export interface AssignOwnerRequest {
  ownerId: string;
}

export interface CompanyListQuery extends PageQuery {
  /** Case-insensitive part of the name. */
  search?: string;
  ownerId?: string;
  includeArchived?: boolean;
}

export interface CompanyView {
  id: string;
  name: string;
  sector: string | null;
  yearEstablished: number | null;
  revenue: number | null;
  employees: number | null;
  officeLocation: string | null;
  parentCompanyId: string | null;
  ownerId: string | null;
  leadSource: string | null;
  website: string | null;
  archived: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface RegisterPersonRequest {
  id?: string;
  firstName: string;
  lastName: string;
  email?: string | null;
  phone?: string | null;
  title?: string | null;
  companyId?: string | null;
  ownerId?: string | null;
  leadSource?: string | null;
}

export type ChangePersonRequest = Partial<
  Omit<RegisterPersonRequest, 'id' | 'ownerId' | 'leadSource'>
> & { ownerId?: string; leadSource?: string };

export interface LinkPersonToCompanyRequest {
  /** null unlinks. */
  companyId: string | null;
}

export interface RecordLeadSourceRequest {
  leadSource: string;
}

export interface PersonListQuery extends PageQuery {
  /** Case-insensitive part of the first name, last name or email. */
  search?: string;
  ownerId?: string;
  companyId?: string;
  includeArchived?: boolean;
}

export interface PersonView {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  companyId: string | null;
  ownerId: string | null;
  leadSource: string | null;
  archived: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface RegisterSalesRepRequest {
  id?: string;
  name: string;
  manager?: string | null;
  regionalOffice?: string | null;
  /** Where reminder emails go. */
  email?: string | null;
}

/** Only the fields given change; null clears manager, office or email. */
export type ChangeSalesRepRequest = Partial<Omit<RegisterSalesRepRequest, 'id'>>;

export interface SalesRepListQuery extends PageQuery {
  regionalOffice?: string;
}

export interface SalesRepView {
  id: string;
  name: string;
  manager: string | null;
  regionalOffice: string | null;
  email: string | null;
  version: number;
}
