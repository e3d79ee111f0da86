import { INestApplication, LogLevel } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import request from 'supertest';

import { createTestDatabase, TestDatabase } from '@relate/testing';

// The services are started in-process, as npm start would start them as processes.
import { createContactsApp } from '../../../contacts/src/app';
import { createPipelineApp } from '../../../pipeline/src/app';
import { createGatewayApp } from '../app';

export const BROKERS_ENV = 'RELATE_TEST_KAFKA_BROKERS';

export interface E2eStack {
  /** Requests to the gateway as tenant A (`a`), tenant B (`b`), or without key (`anonymous`). */
  as(tenant: 'a' | 'b' | 'anonymous'): {
    get(path: string): request.Test;
    post(path: string, body?: object): request.Test;
    patch(path: string, body: object): request.Test;
  };
  tenants: { a: string; b: string };
  stop(): Promise<void>;
}

const LOG_LEVELS: LogLevel[] = ['error', 'warn'];

function portOf(app: INestApplication): number {
  return (app.getHttpServer().address() as AddressInfo).port;
}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');

  return `http://127.0.0.1:${portOf(app)}`;
}

/**
 * Contacts, pipeline and gateway on free loopback ports, on a database of their own and the
 * test broker, with topics and Kafka client ids of their own so that specs never share a
 * consumer group.
 */
export async function startE2eStack(label: string): Promise<E2eStack> {
  const brokers = process.env[BROKERS_ENV];
  if (!brokers) {
    throw new Error(`${BROKERS_ENV} is not set: run the tests through jest's global setup`);
  }
  const database: TestDatabase = await createTestDatabase(label);
  const run = `${label}-${randomBytes(4).toString('hex')}`;
  const settings = {
    databaseUrl: database.url,
    kafkaBrokers: brokers.split(','),
    topics: { contacts: `e2e.${run}.contacts`, pipeline: `e2e.${run}.pipeline` },
    kafkaClientId: `e2e-${run}`,
    poolSize: 5,
    logLevels: LOG_LEVELS,
  };
  const apps: INestApplication[] = [];
  const stop = async () => {
    for (const app of apps.reverse()) {
      await app.close();
    }
    await database.drop();
  };
  try {
    const services = await Promise.all([createContactsApp(settings), createPipelineApp(settings)]);
    apps.push(...services);
    const [contactsUrl, pipelineUrl] = await Promise.all(services.map(listen));
    const tenants = { a: `tenant-a-${run}`, b: `tenant-b-${run}` };
    const gateway = await createGatewayApp({
      contactsUrl,
      pipelineUrl,
      apiKeys: `key-a-${run}=${tenants.a}:e2e-a,key-b-${run}=${tenants.b}:e2e-b`,
      logLevels: LOG_LEVELS,
    });
    apps.push(gateway);
    const gatewayUrl = await listen(gateway);

    return {
      tenants,
      stop,
      as: (tenant) => {
        const key = tenant === 'anonymous' ? {} : { 'x-api-key': `key-${tenant}-${run}` };
        const agent = request(gatewayUrl);

        return {
          get: (path) => agent.get(`/api/v1${path}`).set(key),
          post: (path, body = {}) => agent.post(`/api/v1${path}`).set(key).send(body),
          patch: (path, body) => agent.patch(`/api/v1${path}`).set(key).send(body),
        };
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls until `probe` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
