import {
  AutomationEventDataMap,
  DomainEventOf,
  INITIAL_SCHEMA_VERSION,
  NewEvent,
  WebhookSubscribedData,
} from '@relate/contracts';
import { assertUnreachable, conflict, FieldViolation } from '@relate/errors';
import { Decider } from '@relate/service-kit';

import { assertNoViolations, webhookNotFound } from '../automation.errors';
import { TRIGGER_EVENT_TYPES } from '../rules/rule-definition';

export type WebhookEvent = DomainEventOf<
  AutomationEventDataMap,
  'WebhookSubscribed' | 'WebhookUnsubscribed'
>;

export type WebhookCommand =
  | { type: 'Subscribe'; subscription: WebhookSubscribedData }
  | { type: 'Unsubscribe'; subscriptionId: string };

export interface WebhookState {
  status: 'none' | 'active' | 'deleted';
}

/**
 * Why a subscription cannot be stored, field by field.
 * TODO(#3): any http(s) host is accepted, private and loopback addresses included (SSRF from
 * the service's network); production needs an allow list or a resolver check before each POST.
 */
export function subscriptionViolations(data: WebhookSubscribedData): FieldViolation[] {
  const violations: FieldViolation[] = [];
  let url: URL | undefined;
  try {
    url = new URL(data.url);
  } catch {
    violations.push({ field: 'url', reason: 'must be an http or https URL' });
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
    violations.push({ field: 'url', reason: 'must be an http or https URL' });
  }
  if (url && (url.username || url.password)) {
    violations.push({ field: 'url', reason: 'must not hold credentials' });
  }
  if (!Array.isArray(data.eventTypes)) {
    violations.push({ field: 'eventTypes', reason: 'must be an array' });
  } else {
    data.eventTypes.forEach((type, index) => {
      if (!TRIGGER_EVENT_TYPES.includes(type)) {
        violations.push({ field: `eventTypes[${index}]`, reason: 'must be a known event type' });
      }
    });
  }

  return violations;
}

function decide(command: WebhookCommand, state: WebhookState): NewEvent[] {
  switch (command.type) {
    case 'Subscribe': {
      const { subscriptionId } = command.subscription;
      if (state.status !== 'none') {
        throw conflict('AUTOMATION.ALREADY_EXISTS', `Webhook ${subscriptionId} already exists`);
      }
      assertNoViolations(subscriptionViolations(command.subscription));

      return [
        {
          type: 'WebhookSubscribed',
          schemaVersion: INITIAL_SCHEMA_VERSION,
          data: command.subscription,
        },
      ];
    }
    case 'Unsubscribe':
      if (state.status !== 'active') {
        throw webhookNotFound(command.subscriptionId);
      }

      return [
        {
          type: 'WebhookUnsubscribed',
          schemaVersion: INITIAL_SCHEMA_VERSION,
          data: { subscriptionId: command.subscriptionId },
        },
      ];
    default:
      return assertUnreachable(command);
  }
}

function evolve(_state: WebhookState, event: WebhookEvent): WebhookState {
  switch (event.type) {
    case 'WebhookSubscribed':
      return { status: 'active' };
    case 'WebhookUnsubscribed':
      return { status: 'deleted' };
    default:
      return assertUnreachable(event);
  }
}

export const webhookDecider: Decider<WebhookCommand, WebhookState, WebhookEvent> = {
  initialState: { status: 'none' },
  decide,
  evolve,
};
