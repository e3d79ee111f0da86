import {
  BACKEND_SERVICES,
  BackendService,
  DEFAULT_SERVICE_PORTS,
  servicePortVariable,
} from '@relate/config';

export interface ReplayConfig {
  service: BackendService;
  /** The service's own address (its operator endpoints are not behind the gateway). */
  url: string;
  /** Only these projections; default every replayable one. */
  projections?: string[];
}

export class ReplayConfigError extends Error {
  override readonly name = 'ReplayConfigError';
}

export const USAGE =
  `usage: npm run replay -- <${BACKEND_SERVICES.join('|')}> ` +
  '[--url http://127.0.0.1:<port>] [--projection <name>]...';

/**
 * Reads the command line and the environment once, at the entry point. The default address is
 * where `npm start` runs the service: 127.0.0.1 on RELATE_<SERVICE>_PORT, else its default port.
 */
export function readReplayConfig(argv: string[], env: NodeJS.ProcessEnv): ReplayConfig {
  const [service, ...rest] = argv;
  if (!isService(service)) {
    const named = service === undefined ? 'no service named' : `unknown service ${service}`;
    throw new ReplayConfigError(`${named}\n${USAGE}`);
  }
  let url: string | undefined;
  const projections: string[] = [];
  for (let index = 0; index < rest.length; index += 2) {
    const [flag, value] = [rest[index], rest[index + 1]];
    if (value === undefined || value.startsWith('--')) {
      throw new ReplayConfigError(`${flag} needs a value\n${USAGE}`);
    }
    if (flag === '--url') {
      url = checkedUrl(value);
    } else if (flag === '--projection') {
      projections.push(value);
    } else {
      throw new ReplayConfigError(`unknown option ${flag}\n${USAGE}`);
    }
  }

  return {
    service,
    url: url ?? `http://127.0.0.1:${portOf(service, env)}`,
    ...(projections.length > 0 ? { projections } : {}),
  };
}

function isService(name: string | undefined): name is BackendService {
  return (BACKEND_SERVICES as readonly string[]).includes(name ?? '');
}

function portOf(service: BackendService, env: NodeJS.ProcessEnv): number {
  const variable = servicePortVariable(service);
  const value = env[variable];
  if (value === undefined || value === '') {
    return DEFAULT_SERVICE_PORTS[service];
  }
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ReplayConfigError(`${variable} must be a port number, not ${value}`);
  }

  return port;
}

function checkedUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      return value.replace(/\/+$/, '');
    }
  } catch {
    // Reported below.
  }
  throw new ReplayConfigError(`--url must be an http(s) address, not ${value}`);
}
