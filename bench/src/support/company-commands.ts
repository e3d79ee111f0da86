import { randomUUID } from 'node:crypto';

import { RegisterCompanyRequest } from '@relate/contracts';

/** The public route that registers a company: one event in the contacts store. */
export const REGISTER_COMPANY_PATH = '/api/v1/companies';

/** A company nobody registered yet: its own id, so every request creates a new stream. */
export function newCompany(): Required<Pick<RegisterCompanyRequest, 'id' | 'name'>> &
  RegisterCompanyRequest {
  const id = randomUUID();

  return { id, name: `Bench company ${id.slice(0, 8)}`, sector: 'technology', employees: 42 };
}
