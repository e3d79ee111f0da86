import { ConsoleLogger, Logger, LogLevel } from '@nestjs/common';

import { traceLogFields } from './tracing';

export type LogFields = Record<string, unknown>;

export interface StructuredLoggerOptions {
  /** One JSON object a line for a log shipper, or readable `key=value` text. */
  json: boolean;
  colors: boolean;
  logLevels?: LogLevel[];
}

/** Renders a field value so that a line stays one line and greppable. */
function renderValue(value: unknown): string {
  if (typeof value === 'string') {
    return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  }
  if (value instanceof Error) {
    return JSON.stringify(value.message);
  }

  return JSON.stringify(value) ?? String(value);
}

export function formatFields(fields: LogFields): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${renderValue(value)}`)
    .join(' ');
}

function isFields(value: unknown): value is LogFields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Nest's console logger prints every extra argument on a line of its own. Relate logs
 * `(message, fields)`, one line per event, with the active trace id added, so the fields are
 * folded into that line here.
 */
export class StructuredLogger extends ConsoleLogger {
  constructor(private readonly format: StructuredLoggerOptions) {
    super({ json: format.json, colors: format.colors, logLevels: format.logLevels });
  }

  override log(message: unknown, ...params: unknown[]): void {
    super.log(...this.fold(message, params));
  }

  override warn(message: unknown, ...params: unknown[]): void {
    super.warn(...this.fold(message, params));
  }

  override debug(message: unknown, ...params: unknown[]): void {
    super.debug(...this.fold(message, params));
  }

  override verbose(message: unknown, ...params: unknown[]): void {
    super.verbose(...this.fold(message, params));
  }

  override fatal(message: unknown, ...params: unknown[]): void {
    super.fatal(...this.fold(message, params));
  }

  override error(message: unknown, ...params: unknown[]): void {
    super.error(...this.fold(message, params));
  }

  /** Turns `(message, fields..., context?)` into `(one message, context?)`. */
  private fold(message: unknown, params: unknown[]): [unknown, ...unknown[]] {
    const rest = [...params];
    const context = typeof rest[rest.length - 1] === 'string' ? rest.pop() : undefined;
    const fields: LogFields = { ...traceLogFields() };
    const extras: unknown[] = [];
    for (const param of rest) {
      if (isFields(param)) {
        Object.assign(fields, param);
      } else if (param !== undefined) {
        extras.push(param);
      }
    }
    const folded = this.format.json
      ? { msg: message, ...fields }
      : [String(message), formatFields(fields)].filter(Boolean).join(' ');
    const tail = context === undefined ? extras : [...extras, context];

    return [folded, ...tail];
  }
}

/** Makes every `new Logger(...)` of this process log one structured line per event. */
export function installStructuredLogging(env: NodeJS.ProcessEnv = process.env): StructuredLogger {
  const logger = new StructuredLogger({
    json: env.LOG_FORMAT === 'json',
    colors: env.NO_COLOR === undefined && process.stdout.isTTY === true,
  });
  Logger.overrideLogger(logger);

  return logger;
}
