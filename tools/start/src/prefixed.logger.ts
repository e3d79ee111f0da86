import { LoggerService } from '@nestjs/common';

type Level = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

/**
 * Nest's logger for code that runs inside the start tool itself (the development broker): each
 * line goes out with that component's prefix, like the lines of the child processes.
 */
export class PrefixedLogger implements LoggerService {
  constructor(
    private readonly prefix: string,
    private readonly write: (text: string) => void,
  ) {}

  log(message: unknown, ...params: unknown[]) {
    this.print('log', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.print('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.print('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.print('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.print('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.print('fatal', message, params);
  }

  private print(level: Level, message: unknown, params: unknown[]): void {
    // Nest passes the context as the last string parameter.
    const last = params[params.length - 1];
    const context = typeof last === 'string' ? last : undefined;
    const rest = context === undefined ? params : params.slice(0, -1);
    const fields = rest.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    const head = `${level.toUpperCase().padEnd(5)}${context ? ` [${context}]` : ''}`;
    this.write(`${this.prefix}${head} ${text}${fields ? ` ${fields}` : ''}\n`);
  }
}
