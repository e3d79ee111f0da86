import { LocalStack } from './local.stack';
import { watchParent } from './parent.watch';
import { readStartConfig, StartConfigError } from './start.config';

const output = {
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
};

async function main(): Promise<void> {
  const config = readStartConfig(process.env, process.stdout.isTTY === true);
  const stack = new LocalStack(config, output);
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    if (stopping) {
      stack.announce(`${reason} again: not waiting any longer`);
      stack.kill();
      process.exit(130);
    }
    stack.announce(`${reason}: stopping`);
    stopping = stack.stop().then(() => process.exit(0));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, shutdown);
  watchParent(() => shutdown('the process that ran npm start ended'));

  try {
    await stack.start();
  } catch (error) {
    if (stopping) return;
    const message = error instanceof Error ? error.message : String(error);
    stack.announce(`could not start: ${message}`);
    stopping = stack.stop().then(() => process.exit(1));
  }
}

main().catch((error: unknown) => {
  const message = error instanceof StartConfigError ? error.message : String(error);
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
});
