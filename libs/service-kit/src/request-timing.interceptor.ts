import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { finalize, Observable } from 'rxjs';

import { HttpRequest, HttpResponse } from './http-request';

/** Above this a request is logged as slow: it degrades the API without failing it. */
export const SLOW_REQUEST_MS = 1000;

@Injectable()
export class RequestTimingInterceptor implements NestInterceptor {
  private readonly logger = new Logger(RequestTimingInterceptor.name);

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const startedAt = performance.now();
    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequest>();

    return next.handle().pipe(
      finalize(() => {
        const durationMs = Math.round(performance.now() - startedAt);
        if (durationMs > SLOW_REQUEST_MS) {
          this.logger.warn('slow request', {
            method: request.method,
            path: request.url.split('?')[0],
            status: http.getResponse<HttpResponse>().statusCode,
            durationMs,
          });
        }
      }),
    );
  }
}
