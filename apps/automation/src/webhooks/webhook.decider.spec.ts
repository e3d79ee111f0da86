import { deciderSpecification } from '@relate/service-kit';

import { webhookDecider } from './webhook.decider';

const subscriptionId = '0190a0b0-0000-7000-8000-00000000d001';
const subscription = {
  subscriptionId,
  url: 'https://hooks.example.test/relate',
  eventTypes: ['DealWon'],
  description: null,
};

describe('webhookDecider', () => {
  const spec = deciderSpecification(webhookDecider);

  it('subscribes, without any secret in the event', () => {
    spec
      .given([])
      .when({ type: 'Subscribe', subscription })
      .then([{ type: 'WebhookSubscribed', data: subscription }]);
  });

  it('refuses a URL that is not http(s) or holds credentials, and unknown event types', () => {
    spec
      .given([])
      .when({
        type: 'Subscribe',
        subscription: { ...subscription, url: 'ftp://x', eventTypes: ['DealWon', 'Nope'] },
      })
      .thenThrows({
        code: 'AUTOMATION.VALIDATION_FAILED',
        category: 'validation',
        violations: [
          { field: 'url', reason: 'must be an http or https URL' },
          { field: 'eventTypes[1]', reason: 'must be a known event type' },
        ],
      });
    spec
      .given([])
      .when({ type: 'Subscribe', subscription: { ...subscription, url: 'https://u:p@x.test/' } })
      .thenThrows({
        code: 'AUTOMATION.VALIDATION_FAILED',
        category: 'validation',
        violations: [{ field: 'url', reason: 'must not hold credentials' }],
      });
  });

  it('refuses an empty list of event types and a type listed twice', () => {
    spec
      .given([])
      .when({ type: 'Subscribe', subscription: { ...subscription, eventTypes: [] } })
      .thenThrows({
        code: 'AUTOMATION.VALIDATION_FAILED',
        category: 'validation',
        violations: [{ field: 'eventTypes', reason: 'must list at least one event type' }],
      });
    spec
      .given([])
      .when({
        type: 'Subscribe',
        subscription: { ...subscription, eventTypes: ['DealWon', 'DealLost', 'DealWon'] },
      })
      .thenThrows({
        code: 'AUTOMATION.VALIDATION_FAILED',
        category: 'validation',
        violations: [{ field: 'eventTypes[2]', reason: 'is listed twice' }],
      });
  });

  it('accepts RuleFired, for a subscription that only receives rule posts', () => {
    const forRules = { ...subscription, eventTypes: ['RuleFired'] };
    spec
      .given([])
      .when({ type: 'Subscribe', subscription: forRules })
      .then([{ type: 'WebhookSubscribed', data: forRules }]);
  });

  it('unsubscribes once; a second time the webhook is gone', () => {
    const subscribed = { type: 'WebhookSubscribed' as const, data: subscription };
    spec
      .given([subscribed])
      .when({ type: 'Unsubscribe', subscriptionId })
      .then([{ type: 'WebhookUnsubscribed', data: { subscriptionId } }]);
    spec
      .given([subscribed, { type: 'WebhookUnsubscribed', data: { subscriptionId } }])
      .when({ type: 'Unsubscribe', subscriptionId })
      .thenThrows({ code: 'AUTOMATION.WEBHOOK_NOT_FOUND', category: 'not_found' });
  });
});
