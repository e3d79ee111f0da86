import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

const SECRET_KEYS = Symbol('relate:secret-keys');

/** Marks a setting whose value must never be printed (API keys, passwords in URLs). */
export function Secret(): PropertyDecorator {
  return (target, key) => {
    const keys: Set<string | symbol> = Reflect.getMetadata(SECRET_KEYS, target) ?? new Set();
    Reflect.defineMetadata(SECRET_KEYS, new Set([...keys, key]), target);
  };
}

/** Every violation of an environment, reported at once, so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly violations: Array<{ variable: string; reason: string }>) {
    super(
      `Invalid configuration: ${violations.map((v) => `${v.variable} ${v.reason}`).join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

function reasonsOf(error: ValidationError): string[] {
  return Object.values(error.constraints ?? {});
}

/**
 * Parses environment variables into a validated settings class (class-validator decorators on
 * its properties, defaults as initialisers). Throws one ConfigError listing every problem.
 */
export function parseEnv<T extends object>(
  type: new () => T,
  env: Record<string, string | undefined>,
): T {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const settings = plainToInstance(type, present, { excludeExtraneousValues: false });
  const errors = validateSync(settings, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.flatMap((error) =>
        reasonsOf(error).map((reason) => ({ variable: error.property, reason })),
      ),
    );
  }

  return settings;
}

/** A copy of the settings safe to log: values of {@link Secret} properties are masked. */
export function redactConfig<T extends object>(settings: T): Record<string, unknown> {
  const secrets: Set<string | symbol> = Reflect.getMetadata(SECRET_KEYS, settings) ?? new Set();

  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [key, secrets.has(key) ? '***' : value]),
  );
}
