import { deciderSpecification } from '@relate/service-kit';

import { emailTemplateDecider } from './email-template.decider';

const templateId = '0190a0b0-0000-7000-8000-00000000e001';
const fields = { name: 'Won', subject: 'We won {{deal.title}}', body: 'Value {{deal.value}}' };

describe('emailTemplateDecider', () => {
  const spec = deciderSpecification(emailTemplateDecider);

  it('defines a template with known placeholders', () => {
    spec
      .given([])
      .when({ type: 'DefineEmailTemplate', templateId, fields })
      .then([{ type: 'EmailTemplateDefined', data: { templateId, ...fields } }]);
  });

  it('refuses unknown placeholders and a subject over several lines', () => {
    spec
      .given([])
      .when({
        type: 'DefineEmailTemplate',
        templateId,
        fields: { name: 'x', subject: 'a\nb', body: '{{person.secret}}' },
      })
      .thenThrows({
        code: 'AUTOMATION.VALIDATION_FAILED',
        category: 'validation',
        violations: [
          { field: 'body', reason: 'unknown placeholder {{person.secret}}' },
          { field: 'subject', reason: 'must be one line' },
        ],
      });
  });

  it('changes only what changed', () => {
    spec
      .given([{ type: 'EmailTemplateDefined', data: { templateId, ...fields } }])
      .when({
        type: 'ChangeEmailTemplate',
        templateId,
        changes: { subject: 'New', body: undefined },
      })
      .then([{ type: 'EmailTemplateChanged', data: { templateId, changes: { subject: 'New' } } }]);
  });

  it('answers not found for a change of an unknown template', () => {
    spec
      .given([])
      .when({ type: 'ChangeEmailTemplate', templateId, changes: { name: 'x' } })
      .thenThrows({ code: 'AUTOMATION.EMAIL_TEMPLATE_NOT_FOUND', category: 'not_found' });
  });
});
