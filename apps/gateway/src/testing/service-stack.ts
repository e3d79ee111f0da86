import { INestApplication, LogLevel } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';

import { BACKEND_SERVICES, BackendService } from '@relate/config';
import { ResolvedTopics, ServiceSettings } from '@relate/service-kit';
import { createTestDatabase, TestDatabase } from '@relate/testing';

// The services are started in-process, as npm start would start them as processes.
import { createActivitiesApp } from '../../../activities/src/app';
import { createAutomationApp } from '../../../automation/src/app';
import { createContactsApp } from '../../../contacts/src/app';
import { createPipelineApp } from '../../../pipeline/src/app';
import { createReportingApp } from '../../../reporting/src/app';
import { createGatewayApp } from '../app';

export const BROKERS_ENV = 'RELATE_TEST_KAFKA_BROKERS';

const LOG_LEVELS: LogLevel[] = ['error', 'warn'];

const SERVICE_APPS: Record<
  BackendService,
  (settings: ServiceSettings) => Promise<INestApplication>
> = {
  contacts: createContactsApp,
  pipeline: createPipelineApp,
  activities: createActivitiesApp,
  automation: createAutomationApp,
  reporting: createReportingApp,
};

export interface ServiceStackOptions {
  /** Names the database, the topics and the Kafka client ids, with a random suffix. */
  label: string;
  /** Settings a spec adds to every service's (a clock, a pool size, extra service settings). */
  settings?: Partial<ServiceSettings> & Record<string, unknown>;
}

/** Every service and the gateway, running in-process on free loopback ports. */
export interface ServiceStack {
  /** The label with its random suffix: unique per stack. */
  run: string;
  gatewayUrl: string;
  /** Where each backend service answers, for specs that talk to one directly. */
  serviceUrls: Record<BackendService, string>;
  /** The API key and tenant of tenant A and tenant B. */
  tenants: { a: { key: string; tenantId: string }; b: { key: string; tenantId: string } };
  database: TestDatabase;
  /** The settings every service runs with (topics, brokers, database). */
  settings: ServiceSettings;
  /** Stops one service and starts it again on the same port, as a crash and restart would. */
  restart(service: BackendService): Promise<void>;
  stop(): Promise<void>;
}

function testBrokers(): string[] {
  const brokers = process.env[BROKERS_ENV];
  if (!brokers) {
    throw new Error(`${BROKERS_ENV} is not set: run the tests through jest's global setup`);
  }

  return brokers.split(',');
}

function portOf(app: INestApplication): number {
  return (app.getHttpServer().address() as AddressInfo).port;
}

async function listen(app: INestApplication, port = 0): Promise<string> {
  await app.listen(port, '127.0.0.1');

  return `http://127.0.0.1:${portOf(app)}`;
}

/**
 * A database of its own, topics and Kafka client ids of its own (so specs never share a consumer
 * group), the five services and the gateway with two tenants' keys.
 */
export async function startServiceStack(options: ServiceStackOptions): Promise<ServiceStack> {
  const kafkaBrokers = testBrokers();
  const database = await createTestDatabase(options.label);
  const run = `${options.label}-${randomBytes(4).toString('hex')}`;
  const topicEntries = BACKEND_SERVICES.filter((service) => service !== 'reporting').map(
    (context) => [context, `test.${run}.${context}`],
  );
  const settings: ServiceSettings = {
    databaseUrl: database.url,
    kafkaBrokers,
    topics: Object.fromEntries(topicEntries) as ResolvedTopics,
    kafkaClientId: `test-${run}`,
    poolSize: 5,
    logLevels: LOG_LEVELS,
    ...options.settings,
  };
  const apps = new Map<BackendService | 'gateway', INestApplication>();
  const stop = async () => {
    for (const app of [...apps.values()].reverse()) {
      await app.close();
    }
    apps.clear();
    await database.drop();
  };
  try {
    await Promise.all(
      BACKEND_SERVICES.map(async (service) =>
        apps.set(service, await SERVICE_APPS[service](settings)),
      ),
    );
    const urls = await Promise.all(
      BACKEND_SERVICES.map(async (service) => [service, await listen(apps.get(service)!)]),
    );
    const serviceUrls = Object.fromEntries(urls) as Record<BackendService, string>;
    const tenants = {
      a: { key: `key-a-${run}`, tenantId: `tenant-a-${run}` },
      b: { key: `key-b-${run}`, tenantId: `tenant-b-${run}` },
    };
    const keyOf = (tenant: 'a' | 'b') =>
      `${tenants[tenant].key}=${tenants[tenant].tenantId}:rep-${tenant}`;
    const gateway = await createGatewayApp({
      serviceUrls,
      apiKeys: `${keyOf('a')},${keyOf('b')}`,
      logLevels: LOG_LEVELS,
    });
    apps.set('gateway', gateway);
    const gatewayUrl = await listen(gateway);
    const restart = async (service: BackendService) => {
      const port = Number(new URL(serviceUrls[service]).port);
      await apps.get(service)?.close();
      const app = await SERVICE_APPS[service](settings);
      apps.set(service, app);
      await listen(app, port);
    };

    return { run, gatewayUrl, serviceUrls, tenants, database, settings, restart, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
