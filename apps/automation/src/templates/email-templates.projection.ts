import { AutomationEventEnvelope, EventEnvelope, isAutomationEnvelope } from '@relate/contracts';
import { SqlProjection } from '@relate/service-kit';
import { Pool, PoolClient } from 'pg';

import {
  emailTemplateDecider,
  EmailTemplateEvent,
  EmailTemplateState,
} from './email-template.decider';

const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS automation;
  CREATE TABLE IF NOT EXISTS automation.email_templates (
    tenant_id text NOT NULL,
    template_id text NOT NULL,
    name text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (tenant_id, template_id)
  );
`;

async function upsert(
  db: Pool | PoolClient,
  tenantId: string,
  templateId: string,
  state: EmailTemplateState,
  version: number,
) {
  const { name, subject, body } = state.fields!;
  await db.query(
    `INSERT INTO automation.email_templates (tenant_id, template_id, name, subject, body, version)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, template_id) DO UPDATE SET name = EXCLUDED.name,
       subject = EXCLUDED.subject, body = EXCLUDED.body, version = EXCLUDED.version
     WHERE automation.email_templates.version < EXCLUDED.version`,
    [tenantId, templateId, name, subject, body, version],
  );
}

/** Written by the command before it answers, like the rule table (see rules.projection.ts). */
export async function writeTemplateThrough(pool: Pool, events: EventEnvelope[]): Promise<void> {
  const typed = events as unknown as Array<EmailTemplateEvent & EventEnvelope>;
  const last = typed.at(-1);
  if (last !== undefined) {
    const state = typed.reduce(emailTemplateDecider.evolve, emailTemplateDecider.initialState);
    await upsert(pool, last.tenantId, last.data.templateId, state, last.streamVersion);
  }
}

/** Email templates, fed from the automation topic (and written through). */
export class EmailTemplatesProjection extends SqlProjection<AutomationEventEnvelope> {
  readonly name = 'automation-email-templates';
  readonly tables = ['automation.email_templates'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isAutomationEnvelope;

  protected async project(event: AutomationEventEnvelope, client: PoolClient): Promise<void> {
    if (event.type !== 'EmailTemplateDefined' && event.type !== 'EmailTemplateChanged') {
      return;
    }
    const { rows } = await client.query<{
      name: string;
      subject: string;
      body: string;
      version: number;
    }>(
      `SELECT name, subject, body, version FROM automation.email_templates
       WHERE tenant_id = $1 AND template_id = $2 FOR UPDATE`,
      [event.tenantId, event.data.templateId],
    );
    const row = rows[0];
    if (row !== undefined && row.version >= event.streamVersion) {
      return;
    }
    const before: EmailTemplateState = row ? { fields: row } : emailTemplateDecider.initialState;
    const after = emailTemplateDecider.evolve(before, event as EmailTemplateEvent);
    await upsert(client, event.tenantId, event.data.templateId, after, event.streamVersion);
  }
}
