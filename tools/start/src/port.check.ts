import { createServer } from 'node:net';

/** True when nothing listens on 127.0.0.1:port yet. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Names the settings whose ports are taken, so that a second `npm start`, or services left
 * behind by a killed one, fail at once with a clear message instead of crash-looping.
 */
export async function findBusyPorts(ports: Record<string, number>): Promise<string[]> {
  const checks = await Promise.all(
    Object.entries(ports).map(async ([setting, port]) =>
      (await isPortFree(port)) ? undefined : `${setting}=${port}`,
    ),
  );

  return checks.filter((busy): busy is string => busy !== undefined);
}
