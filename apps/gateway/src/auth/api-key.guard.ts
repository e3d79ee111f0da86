import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';

import { headerOf, HttpResponse } from '@relate/service-kit';

import { AuthenticatedRequest, callerOf } from '../http/caller';
import { ApiKeys } from './api-keys';

const BEARER = /^Bearer\s+(\S+)$/i;

/** Resolves the tenant from `x-api-key` or `Authorization: Bearer <key>`; 401 otherwise. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeys) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const bearer = BEARER.exec(headerOf(request, 'authorization') ?? '')?.[1];
    const owner = this.keys.ownerOf(headerOf(request, 'x-api-key') ?? bearer);
    if (!owner) {
      throw new UnauthorizedException('A valid API key is required (x-api-key header)');
    }
    request.caller = callerOf(request, owner);
    context
      .switchToHttp()
      .getResponse<HttpResponse>()
      .setHeader('x-correlation-id', request.caller.correlationId);

    return true;
  }
}
