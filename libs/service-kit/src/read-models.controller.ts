import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';

import { FieldViolation, validationError } from '@relate/errors';

import { SERVICE_NAME } from './injection-tokens';
import { ReadModels, ReadModelStatus, RebuildStarted } from './read-models.service';

/**
 * Operator endpoints of every service, on its own port: the gateway forwards only the public
 * controllers it lists, so these are never reachable through it.
 */
@Controller('ops/read-models')
export class ReadModelsController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  /** Each projection and reactor: group, generation, status, events applied, lag, rebuild. */
  @Get()
  async list(): Promise<{ service: string; readModels: ReadModelStatus[] }> {
    return { service: this.service, readModels: await this.readModels.status() };
  }

  /** Rebuilds every replayable projection, or those `{ projections: [...] }` names. */
  @Post('rebuild')
  @HttpCode(202)
  async rebuild(@Body() body: unknown): Promise<RebuildStarted & { service: string }> {
    const started = await this.readModels.rebuild(projectionsOf(body));

    return { service: this.service, ...started };
  }
}

function projectionsOf(body: unknown): string[] | undefined {
  if (body === undefined || body === null) {
    return undefined;
  }
  const violations: FieldViolation[] = [];
  if (typeof body !== 'object' || Array.isArray(body)) {
    violations.push({ field: 'body', reason: 'must be an object' });
  } else {
    const { projections, ...rest } = body as Record<string, unknown>;
    for (const field of Object.keys(rest)) {
      violations.push({ field, reason: 'is not allowed' });
    }
    if (projections !== undefined) {
      const names = Array.isArray(projections) ? projections : [];
      if (names.length === 0 || names.some((name) => typeof name !== 'string')) {
        violations.push({ field: 'projections', reason: 'must be a non-empty array of names' });
      }
    }
    if (violations.length === 0) {
      return projections as string[] | undefined;
    }
  }
  throw validationError('READ_MODELS.INVALID_REBUILD', violations);
}
