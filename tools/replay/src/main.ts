import { readReplayConfig, ReplayConfigError } from './replay.config';
import { replay, ReplayError } from './replay.runner';

// The terminal is this tool's user interface, so it writes to stdout rather than to a logger.
const write = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<number> {
  const config = readReplayConfig(process.argv.slice(2), process.env);
  await replay({ ...config, write });

  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof ReplayError || error instanceof ReplayConfigError;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `replay failed: ${known ? message : ((error as Error)?.stack ?? message)}\n`,
    );
    process.exitCode = error instanceof ReplayConfigError ? 2 : 1;
  },
);
