import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';

import { protocolHttpError, toHttpError } from './http-errors';
import { HttpRequest, HttpResponse } from './http-request';

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
        : toHttpError(exception);
    if (status >= 500) {
      this.logger.error('request failed', {
        method: request.method,
        path: request.url.split('?')[0],
        status,
        code: body.code,
        error: exception instanceof Error ? exception.message : String(exception),
        stack: exception instanceof Error ? exception.stack : undefined,
      });
    }
    http.getResponse<HttpResponse>().status(status).json(body);
  }
}
