import { Server, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

import { DynamicModule, INestApplication, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { ServiceEnv } from '@relate/config';
import { installStructuredLogging, installTraceContext } from '@relate/observability';

import { ServiceSettings } from './service-settings';

/** Nest log levels unless the settings say otherwise: all but debug and verbose. */
export const DEFAULT_LOG_LEVELS: LogLevel[] = ['log', 'error', 'warn', 'fatal'];

/**
 * A Nest application of Relate, not yet listening. `abortOnError: false`: a failure while
 * booting rejects, so that tests and the start tool see it instead of the process exiting.
 */
export function createNestApp<T extends INestApplication = INestApplication>(
  module: DynamicModule,
  logLevels: LogLevel[] | undefined,
): Promise<T> {
  return NestFactory.create<T>(module, {
    logger: logLevels ?? DEFAULT_LOG_LEVELS,
    abortOnError: false,
  });
}

/** The settings of an event-sourced service, as its environment gives them. */
export function serviceSettingsOf(env: ServiceEnv): ServiceSettings {
  return {
    databaseUrl: env.DATABASE_URL,
    kafkaBrokers: env.KAFKA_BROKERS,
    kafkaClientId: env.KAFKA_CLIENT_ID,
  };
}

export interface ServiceListener {
  app: INestApplication;
  host: string;
  port: number;
}

/** How long a service whose supervisor died may take to close before it exits anyway. */
export const ORPHAN_CLOSE_MS = 10_000;

type SupervisedProcess = Pick<NodeJS.Process, 'send' | 'channel' | 'once' | 'exit'>;

/**
 * A service started by a supervisor with an IPC channel (`npm start`) stops when the channel
 * closes: the supervisor is gone, even if killed with SIGKILL, and an orphan would hold its
 * port. Without a channel (run alone) nothing changes.
 */
export function closeWhenSupervisorGoes(
  app: Pick<INestApplication, 'close'>,
  logger: Logger,
  proc: SupervisedProcess = process,
): void {
  if (typeof proc.send !== 'function') {
    return;
  }
  // The channel alone must not keep the process alive once the app has closed.
  proc.channel?.unref();
  proc.once('disconnect', () => {
    logger.warn('supervisor gone: stopping');
    setTimeout(() => proc.exit(0), ORPHAN_CLOSE_MS).unref();
    app.close().then(
      () => proc.exit(0),
      () => proc.exit(1),
    );
  });
}

/** How long a service may take to stop after a signal before it exits anyway. */
export const STOP_TIMEOUT_MS = 10_000;

/** The signals that stop a service gracefully. */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * Closes an HTTP server without cutting a request short: no new connections; a request in
 * progress (or one that arrives on a kept-alive connection meanwhile) is answered with
 * `Connection: close`; an idle kept-alive connection is closed at once, so a client that pools
 * connections (the gateway does) cannot keep the server open by sending more. Node's own
 * `server.close()` waits for such connections until their keep-alive timeout, and serves every
 * request they bring meanwhile.
 */
export class HttpDrain {
  private closing = false;
  private readonly answering = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (_request, response: ServerResponse) => {
      this.answering.add(response);
      if (this.closing) {
        lastOnConnection(response);
      }
      response.once('close', () => {
        this.answering.delete(response);
        if (this.closing) {
          this.closeUnanswered();
        }
      });
    });
  }

  /** Requests accepted and not yet answered. */
  get inFlight(): number {
    return this.answering.size;
  }

  /** Resolves once every connection is closed, each request having had its answer. */
  close(): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const response of this.answering) {
      lastOnConnection(response);
    }
    this.closeUnanswered();

    return closed;
  }

  /**
   * Closes every connection that has no request being answered: idle kept-alive ones, and those
   * whose request has not fully arrived (a slow or stalled client), which Node's server would
   * otherwise wait for until its headers timeout, past the stop's bound.
   */
  private closeUnanswered(): void {
    this.server.closeIdleConnections();
    const busy = new Set([...this.answering].map((response) => response.socket));
    for (const socket of this.sockets) {
      // One still sending its last answer ends by itself once it is out.
      if (!busy.has(socket) && !socket.writableEnded && socket.writableLength === 0) {
        socket.destroy();
      }
    }
  }
}

/** The response closes its connection once sent, unless its headers are already out. */
function lastOnConnection(response: ServerResponse): void {
  if (!response.headersSent) {
    response.setHeader('connection', 'close');
  }
}

type SignalledProcess = Pick<NodeJS.Process, 'on' | 'exit'>;

/**
 * How a service stops, on a signal or when its supervisor goes: first the HTTP server (every
 * accepted request answered, the commands among them committed), then the rest of the app
 * (projections and reactors commit their batch and its offset, the relay publishes the batch it
 * took, the pool closes), then the process exits 0. Past `timeoutMs` it exits 1 anyway, so that
 * a stuck dependency (a broker that does not answer) cannot hold a deploy up.
 */
export function stopGracefully(
  app: Pick<INestApplication, 'close'>,
  http: Pick<HttpDrain, 'close' | 'inFlight'>,
  logger: Logger,
  options: { proc?: SignalledProcess; timeoutMs?: number } = {},
): (reason: string) => Promise<void> {
  const proc = options.proc ?? process;
  const timeoutMs = options.timeoutMs ?? STOP_TIMEOUT_MS;
  let stopping: Promise<void> | undefined;
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      const started = Date.now();
      logger.log('stopping', { reason, requestsInFlight: http.inFlight, timeoutMs });
      const deadline = setTimeout(() => {
        logger.error('not stopped in time: exiting', { reason, timeoutMs });
        proc.exit(1);
      }, timeoutMs);
      deadline.unref();
      try {
        await http.close();
        await app.close();
        logger.log('stopped', { reason, durationMs: Date.now() - started });
        proc.exit(0);
      } catch (error) {
        logger.error('stop failed', {
          reason,
          error: error instanceof Error ? error.message : String(error),
        });
        proc.exit(1);
      } finally {
        clearTimeout(deadline);
      }
    })();

    return stopping;
  };
  for (const signal of STOP_SIGNALS) {
    proc.on(signal, () => void stop(signal));
  }

  return stop;
}

/**
 * The body of every `main.ts`: trace context first, then the app `create` builds from the
 * environment, listening until a signal stops it ({@link stopGracefully}); the process exits 1
 * when it cannot start.
 */
export function runService(name: string, create: () => Promise<ServiceListener>): void {
  installStructuredLogging();
  const logger = new Logger(`${name.charAt(0).toUpperCase()}${name.slice(1)}`);
  const main = async () => {
    installTraceContext();
    const { app, host, port } = await create();
    const http = new HttpDrain(app.getHttpServer() as Server);
    const stop = stopGracefully(app, http, logger);
    await app.listen(port, host);
    logger.log(`${name} listening`, { host, port });
    closeWhenSupervisorGoes({ close: () => stop('supervisor gone') }, logger);
  };

  main().catch((error: unknown) => {
    logger.error(`${name} failed`, {
      error: error instanceof Error ? error.message : String(error),
    });
    process.exit(1);
  });
}
