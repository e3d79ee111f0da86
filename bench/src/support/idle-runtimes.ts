import { ChildProcess, spawn } from 'node:child_process';

import { REPO_ROOT } from '../../../tools/start/src/start.config';
import { firstLine, stopChild } from './child-process';

/** A process that does nothing but be there, to weigh what a service costs beyond it. */
export interface IdleRuntime {
  name: string;
  pid: number;
}

/** Keeps the process alive doing nothing; it leaves when its stdin closes (the bench is gone). */
const STAY =
  "process.stdin.on('end', () => process.exit(0)).resume(); " +
  "process.on('SIGTERM', () => process.exit(0)); console.log('ready');";

/** An empty Nest application (platform-express) listening on a free loopback port. */
const NEST_APP = `
require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
class EmptyModule {}
Module({})(EmptyModule);
NestFactory.create(EmptyModule, { logger: false })
  .then((app) => app.listen(0, '127.0.0.1'))
  .then(() => { ${STAY} });
`;

/**
 * The runtimes the services stand on, each a process of its own, idle once this resolves:
 * Node.js alone; Node.js with the TypeScript loader the services run under (`npm start` runs
 * their sources through `@swc-node/register`); and an empty Nest application under that loader.
 */
export async function startIdleRuntimes(): Promise<{
  runtimes: IdleRuntime[];
  stop(): Promise<void>;
}> {
  const children: Array<{ name: string; child: ChildProcess }> = [
    { name: 'Node.js', child: start(['-e', STAY]) },
    { name: 'Node.js + TS loader', child: start(['-r', '@swc-node/register', '-e', STAY]) },
    { name: 'empty Nest app', child: start(['-r', '@swc-node/register', '-e', NEST_APP]) },
  ];
  const stop = () => Promise.all(children.map(({ child }) => stopChild(child))).then(() => {});
  try {
    await Promise.all(children.map(({ child }) => firstLine(child, 'an idle runtime')));
  } catch (error) {
    await stop();
    throw error;
  }

  return { runtimes: children.map(({ name, child }) => ({ name, pid: child.pid! })), stop };
}

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
}
