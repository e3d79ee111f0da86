import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { AddressInfo, createServer, Server } from 'node:net';
import { join } from 'node:path';

import { BrokerOptions, resolveBrokerOptions } from '../broker.config';
import { FetchWaiters } from '../fetch/fetch-waiters';
import { GroupCoordinator } from '../groups/group-coordinator';
import { BrokerContext } from '../handlers/api-handler';
import { API_HANDLERS, SUPPORTED_APIS } from '../handlers/api-registry';
import { lockDataDir } from '../storage/data-dir-lock';
import { OffsetStore } from '../storage/offset-store';
import { ProducerIdAllocator } from '../storage/producer-id-allocator';
import { TopicRegistry } from '../storage/topic-registry';
import { ClientConnection } from './client-connection';
import { RequestDispatcher } from './request-dispatcher';
import { ServedVersion, ServedVersions } from './served-versions';

export interface RunningBroker {
  host: string;
  port: number;
  /** `host:port`, ready for a kafkajs `brokers` list. */
  address: string;
  /** The (API key, version) pairs answered since the start, with their counts. */
  servedVersions(): ServedVersion[];
  /** Stops listening, drops the connections, finishes pending writes and closes the files. */
  close(): Promise<void>;
}

/** Starts the development broker on loopback, with its logs and offsets under `dataDir`. */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const logger = options.logger ?? new Logger('Broker');
  const settings = resolveBrokerOptions(options, logger);
  await mkdir(settings.dataDir, { recursive: true });
  const unlock = await lockDataDir(settings.dataDir);
  const fsync = settings.fsync === 'always';
  const waiters = new FetchWaiters();
  const topics = await TopicRegistry.open({
    dataDir: settings.dataDir,
    segmentBytes: settings.segmentBytes,
    fsync,
    logger,
    onAppended: (topic, partition) => waiters.notify(topic, partition),
  });
  const offsets = await OffsetStore.open({ dataDir: settings.dataDir, fsync, logger });
  const coordinator = new GroupCoordinator(
    offsets,
    {
      initialRebalanceDelayMs: settings.groupInitialRebalanceDelayMs,
      minSessionTimeoutMs: settings.groupMinSessionTimeoutMs,
      maxSessionTimeoutMs: settings.groupMaxSessionTimeoutMs,
    },
    logger,
  );
  const producerIds = await ProducerIdAllocator.open(settings.dataDir, highestProducerId(topics));
  const server = createServer();
  const port = await listen(server, settings.host, settings.port);
  const broker: BrokerContext = {
    options: settings,
    advertised: { host: settings.host, port },
    clusterId: await loadClusterId(settings.dataDir),
    topics,
    coordinator,
    waiters,
    producerIds,
    logger,
    supportedApis: SUPPORTED_APIS,
  };
  const served = new ServedVersions();
  const dispatcher = new RequestDispatcher(API_HANDLERS, broker, served);
  const connections = new Set<ClientConnection>();
  server.on('connection', (socket) => {
    const connection = new ClientConnection(socket, dispatcher, logger, settings.maxRequestBytes);
    connections.add(connection);
    socket.on('close', () => connections.delete(connection));
  });
  const address = `${settings.host}:${port}`;
  logger.log('broker listening', {
    address,
    dataDir: settings.dataDir,
    topics: topics.list().length,
    fsync: settings.fsync,
  });

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    connections.forEach((connection) => connection.destroy());
    waiters.closeAll();
    coordinator.shutdown();
    await topics.close();
    await offsets.close();
    await stopped;
    await unlock();
    logger.log('broker stopped', { address });
  };

  return {
    host: settings.host,
    port,
    address,
    servedVersions: () => served.list(),
    close: () => (closing ??= close()),
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function highestProducerId(topics: TopicRegistry): bigint {
  let highest = -1n;
  for (const topic of topics.list()) {
    for (const log of topic.partitions) {
      const id = log.producers.highestProducerId();
      highest = id > highest ? id : highest;
    }
  }

  return highest;
}

/** A stable cluster id per data folder, like Kafka's meta.properties. */
async function loadClusterId(dataDir: string): Promise<string> {
  const path = join(dataDir, 'cluster.json');
  const stored = await readFile(path, 'utf8')
    .then((text) => (JSON.parse(text) as { clusterId?: string }).clusterId)
    .catch(() => undefined);
  if (stored) {
    return stored;
  }
  const clusterId = randomBytes(16).toString('base64url');
  await writeFile(path, JSON.stringify({ clusterId }));

  return clusterId;
}
