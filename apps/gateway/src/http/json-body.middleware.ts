import { Injectable, NestMiddleware, UnsupportedMediaTypeException } from '@nestjs/common';

import { HttpRequest } from '@relate/service-kit';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Whether a request carries a body, by its headers (as the body parser decides it). */
export function hasBody(headers: HttpRequest['headers']): boolean {
  const length = headers['content-length'];

  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The API speaks JSON only: a body of another type (text, XML, a form) answers 415 rather than
 * being parsed as a form, or ignored, and then refused field by field.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  use(request: HttpRequest, _response: unknown, next: () => void): void {
    const type = request.headers['content-type'];
    if (hasBody(request.headers) && (typeof type !== 'string' || !JSON_TYPE.test(type))) {
      throw new UnsupportedMediaTypeException('Content-Type must be application/json');
    }
    next();
  }
}
