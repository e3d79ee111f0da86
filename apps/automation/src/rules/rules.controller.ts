import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';

import {
  ChangeRuleRequest,
  CommandContext,
  DefineRuleRequest,
  FiringView,
  Page,
  PageQuery,
  RuleListQuery,
  RuleView,
  WriteResult,
} from '@relate/contracts';
import {
  CommandTarget,
  Consistency,
  Ctx,
  orNotFound,
  ReadModels,
  Target,
  TenantId,
} from '@relate/service-kit';

import { ruleNotFound } from '../automation.errors';
import { FiringsProjection } from '../firings/firings.projection';
import { FiringsRepository } from '../firings/firings.repository';
import { RulesRepository } from './rules.repository';
import { RulesService } from './rules.service';

@Controller('rules')
export class RulesController {
  constructor(
    private readonly rules: RulesService,
    private readonly queries: RulesRepository,
    private readonly firings: FiringsRepository,
    private readonly readModels: ReadModels,
  ) {}

  @Post()
  define(@Ctx() context: CommandContext, @Body() body: DefineRuleRequest): Promise<WriteResult> {
    return this.rules.define(context, body);
  }

  // The rule table is written before a command answers: no consistency wait needed.
  @Get()
  list(@TenantId() tenantId: string, @Query() query: RuleListQuery): Promise<Page<RuleView>> {
    return this.queries.list(tenantId, query);
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string): Promise<RuleView> {
    return orNotFound(await this.queries.find(tenantId, id), () => ruleNotFound(id));
  }

  @Patch(':id')
  change(
    @Target('id') target: CommandTarget,
    @Body() body: ChangeRuleRequest,
  ): Promise<WriteResult> {
    return this.rules.change(target, body);
  }

  @Post(':id/disable')
  disable(@Target('id') target: CommandTarget): Promise<WriteResult> {
    return this.rules.disable(target);
  }

  @Post(':id/enable')
  enable(@Target('id') target: CommandTarget): Promise<WriteResult> {
    return this.rules.enable(target);
  }

  @Delete(':id')
  delete(@Target('id') target: CommandTarget): Promise<WriteResult> {
    return this.rules.delete(target);
  }

  @Get(':id/firings')
  async listFirings(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Query() query: PageQuery,
    @Consistency() token?: string,
  ): Promise<Page<FiringView>> {
    await this.readModels.waitFor(tenantId, token, [FiringsProjection]);
    orNotFound(await this.queries.find(tenantId, id), () => ruleNotFound(id));

    return this.firings.list(tenantId, id, query);
  }
}
