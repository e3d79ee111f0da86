import 'reflect-metadata';

import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { firstLine, stopChild } from './child-process';

/** Where the two servers of the framework's cost listen, and how to stop their process. */
export interface NoopServers {
  /** Nest (platform-express) with one route that does nothing: `GET /noop`. */
  nestUrl: string;
  /** node:http answering every request with an empty 200. */
  bareUrl: string;
  stop(): Promise<void>;
}

@Controller()
class NoopController {
  @Get('noop')
  noop(): void {
    // The framework's cost alone: routing, guards and interceptors (none), the answer.
  }
}

@Module({ controllers: [NoopController] })
class NoopModule {}

async function listen(): Promise<{ nest: number; bare: number }> {
  const nest = await NestFactory.create(NoopModule, { logger: false });
  await nest.listen(0, '127.0.0.1');
  const bare: Server = createServer((_request, response) => response.end());
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const portOf = (server: Server) => (server.address() as AddressInfo).port;

  return { nest: portOf(nest.getHttpServer() as Server), bare: portOf(bare) };
}

/**
 * Both servers in one process of their own, so that the load generator in this process takes
 * no CPU from them and they share the same one.
 */
export async function startNoopServers(): Promise<NoopServers> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', __filename], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const ports = JSON.parse(await firstLine(child, 'the no-op servers')) as {
      nest: number;
      bare: number;
    };

    return {
      nestUrl: `http://127.0.0.1:${ports.nest}/noop`,
      bareUrl: `http://127.0.0.1:${ports.bare}/noop`,
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

if (require.main === module) {
  // Dies with the bench, even one killed outright: its stdin closes with it.
  process.stdin.on('end', () => process.exit(0)).resume();
  process.on('SIGTERM', () => process.exit(0));
  listen().then(
    (ports) => process.stdout.write(`${JSON.stringify(ports)}\n`),
    (error: Error) => {
      process.stderr.write(`no-op servers did not start: ${error.message}\n`);
      process.exit(1);
    },
  );
}
