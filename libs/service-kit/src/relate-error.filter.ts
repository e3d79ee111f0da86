import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';

import { isRelateError } from '@relate/errors';

import { bodyParserHttpError, protocolHttpError, toHttpError } from './http-errors';
import { HttpRequest, HttpResponse } from './http-request';

const MAX_MESSAGE = 200;

function summarise(error: unknown): { class: string; pgCode?: string; message: string } {
  if (!(error instanceof Error)) {
    return { class: typeof error, message: '' };
  }
  const pgCode = (error as { code?: unknown }).code;
  const firstLine = error.message.split('\n')[0].slice(0, MAX_MESSAGE);

  return typeof pgCode === 'string' && !isRelateError(error)
    ? { class: error.constructor.name, pgCode, message: firstLine }
    : { class: error.constructor.name, message: firstLine };
}

/**
 * What of an internal error may be logged: its class, a driver code and the first line of its
 * message (and the same of its cause). Never PostgreSQL's `detail`, `where` or the query, nor
 * the stack's message lines, which can carry the user's data.
 */
export function loggableError(exception: unknown): Record<string, unknown> {
  const error = summarise(exception);
  const cause = exception instanceof Error ? exception.cause : undefined;
  const frames =
    exception instanceof Error
      ? exception.stack
          ?.split('\n')
          .filter((line) => line.trimStart().startsWith('at '))
          .slice(0, 5)
          .map((line) => line.trim())
      : undefined;

  return {
    errorClass: error.class,
    ...(error.pgCode === undefined ? {} : { pgCode: error.pgCode }),
    error: error.message,
    ...(cause === undefined ? {} : { cause: summarise(cause) }),
    ...(frames === undefined ? {} : { stack: frames }),
  };
}

/** The one place where errors become HTTP answers, in the gateway and in every service. */
@Catch()
export class RelateErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(RelateErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const { status, body } =
      exception instanceof HttpException
        ? protocolHttpError(exception.getStatus(), exception.message)
        : (bodyParserHttpError(exception) ?? toHttpError(exception));
    if (status >= 500) {
      this.logger.error('request failed', {
        method: request.method,
        path: request.url.split('?')[0],
        status,
        code: body.code,
        ...loggableError(exception),
      });
    }
    http.getResponse<HttpResponse>().status(status).json(body);
  }
}
