import { INestApplication, LogLevel } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';

import { createTestDatabase, TestDatabase } from '@relate/testing';

// The import talks HTTP to a gateway; the specs start one in-process with both services behind
// it, as `npm start` starts them as processes.
import { createContactsApp } from '../../../../apps/contacts/src/app';
import { createGatewayApp } from '../../../../apps/gateway/src/app';
import { createPipelineApp } from '../../../../apps/pipeline/src/app';

export interface RelateStack {
  gatewayUrl: string;
  apiKey: string;
  /** Events stored by both services, straight from their event stores. */
  countEvents(): Promise<number>;
  stop(): Promise<void>;
}

const LOG_LEVELS: LogLevel[] = ['error', 'warn'];

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');

  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
}

/** Contacts, pipeline and gateway on free loopback ports, a database and topics of their own. */
export async function startRelateStack(label: string): Promise<RelateStack> {
  const brokers = process.env.RELATE_TEST_KAFKA_BROKERS;
  if (!brokers) throw new Error('RELATE_TEST_KAFKA_BROKERS is not set: run through jest');
  const database: TestDatabase = await createTestDatabase(label);
  const run = `${label}-${randomBytes(4).toString('hex')}`;
  const settings = {
    databaseUrl: database.url,
    kafkaBrokers: brokers.split(','),
    topics: { contacts: `import.${run}.contacts`, pipeline: `import.${run}.pipeline` },
    kafkaClientId: `import-${run}`,
    logLevels: LOG_LEVELS,
  };
  const apps: INestApplication[] = [];
  const stop = async () => {
    for (const app of apps.reverse()) await app.close();
    await database.drop();
  };
  try {
    const services = await Promise.all([createContactsApp(settings), createPipelineApp(settings)]);
    apps.push(...services);
    const [contactsUrl, pipelineUrl] = await Promise.all(services.map(listen));
    const apiKey = `import-key-${run}`;
    const gateway = await createGatewayApp({
      contactsUrl,
      pipelineUrl,
      apiKeys: `${apiKey}=tenant-${randomBytes(4).toString('hex')}`,
      logLevels: LOG_LEVELS,
    });
    apps.push(gateway);

    return {
      gatewayUrl: await listen(gateway),
      apiKey,
      countEvents: () => countEvents(database.url),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function countEvents(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `SELECT (SELECT count(*) FROM contacts.events)
            + (SELECT count(*) FROM pipeline.events) AS count`,
    );

    return Number(rows[0].count);
  } finally {
    await client.end();
  }
}
