import { Body, Controller, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { Pool } from 'pg';

import {
  AutomationStreams,
  ChangeEmailTemplateRequest,
  CommandContext,
  DefineEmailTemplateRequest,
  emailTemplateStreamId,
  EmailTemplateView,
  Page,
  PageQuery,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator, PostgresEventStore } from '@relate/event-store';
import {
  AggregateRepository,
  CommandTarget,
  Ctx,
  EventSourcedRepository,
  ID_GENERATOR,
  orNotFound,
  pagingOf,
  selectOne,
  selectPage,
  SqlFilter,
  Target,
  TenantId,
} from '@relate/service-kit';

import { templateNotFound } from '../automation.errors';
import {
  EmailTemplateCommand,
  emailTemplateDecider,
  EmailTemplateState,
} from './email-template.decider';
import { writeTemplateThrough } from './email-templates.projection';

interface TemplateRow {
  template_id: string;
  name: string;
  subject: string;
  body: string;
  version: number;
}

const toView = (row: TemplateRow): EmailTemplateView => ({
  id: row.template_id,
  name: row.name,
  subject: row.subject,
  body: row.body,
  version: row.version,
});

@Controller('email-templates')
export class EmailTemplatesController {
  private readonly templates: AggregateRepository<EmailTemplateCommand, EmailTemplateState>;

  constructor(
    repository: EventSourcedRepository,
    private readonly store: PostgresEventStore,
    private readonly pool: Pool,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.templates = repository.of(emailTemplateDecider, AutomationStreams.emailTemplate);
  }

  @Post()
  define(
    @Ctx() context: CommandContext,
    @Body() body: DefineEmailTemplateRequest,
  ): Promise<WriteResult> {
    const templateId = body.id ?? this.ids.next();
    const fields = { name: body.name, subject: body.subject, body: body.body };

    return this.run(
      { context, id: templateId },
      { type: 'DefineEmailTemplate', templateId, fields },
    );
  }

  @Patch(':id')
  change(
    @Target('id') target: CommandTarget,
    @Body() body: ChangeEmailTemplateRequest,
  ): Promise<WriteResult> {
    const changes = { name: body.name, subject: body.subject, body: body.body };

    return this.run(target, { type: 'ChangeEmailTemplate', templateId: target.id, changes });
  }

  @Get()
  list(@TenantId() tenantId: string, @Query() query: PageQuery): Promise<Page<EmailTemplateView>> {
    return selectPage(this.pool, {
      select: 'SELECT * FROM automation.email_templates',
      countFrom: 'automation.email_templates',
      filter: SqlFilter.forTenant('tenant_id', tenantId),
      orderBy: 'lower(name), template_id',
      paging: pagingOf(query),
      toView,
    });
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string): Promise<EmailTemplateView> {
    const sql =
      'SELECT * FROM automation.email_templates WHERE tenant_id = $1 AND template_id = $2';

    return orNotFound(await selectOne(this.pool, sql, [tenantId, id], toView), () =>
      templateNotFound(id),
    );
  }

  private async run(target: CommandTarget, command: EmailTemplateCommand): Promise<WriteResult> {
    const result = await this.templates.execute(target, command);
    const { tenantId } = target.context;
    const streamId = emailTemplateStreamId(tenantId, target.id);
    await writeTemplateThrough(this.pool, await this.store.readStream(tenantId, streamId));

    return result;
  }
}
