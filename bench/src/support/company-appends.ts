import { randomUUID } from 'node:crypto';

import { CompanyRegisteredData, companyStreamId, ContactsStreams } from '@relate/contracts';
import { PostgresEventStore } from '@relate/event-store';

const TENANT = '00000000-0000-4000-8000-0000000be9c0';

/**
 * Registers companies straight through the event store library for `durationMs`, `concurrency`
 * appends in flight, each a single event on a new stream with its expected version: what the
 * contacts service stores for one `POST /companies`. Answers the appends per second.
 */
export async function appendCompaniesFor(
  store: PostgresEventStore,
  concurrency: number,
  durationMs: number,
): Promise<number> {
  let appended = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      await appendCompany(store);
      appended += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  return appended / ((performance.now() - started) / 1000);
}

function appendCompany(store: PostgresEventStore) {
  const companyId = randomUUID();
  const data: CompanyRegisteredData = {
    companyId,
    name: `Bench company ${companyId.slice(0, 8)}`,
    ownerId: null,
    sector: 'technology',
    yearEstablished: null,
    revenue: null,
    employees: 42,
    officeLocation: null,
    parentCompanyId: null,
    website: null,
    leadSource: null,
  };

  return store.append(
    companyStreamId(TENANT, companyId),
    ContactsStreams.company.type,
    [{ type: 'CompanyRegistered', data }],
    {
      expectedVersion: 'no_stream',
      context: {
        tenantId: TENANT,
        actor: { type: 'user', id: 'bench' },
        correlationId: randomUUID(),
      },
    },
  );
}
