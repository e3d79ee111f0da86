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
 * The event types a subscription may list: every type of the contacts, pipeline and activities
 * catalogues (the deliveries reactor posts those as they happen), and `RuleFired`, the type of
 * the posts a rule's webhook action sends to the subscription it names. A subscription meant
 * only for rule posts lists `RuleFired`; rule posts reach the subscription the rule names either
 * way. Other automation events are never posted.
 */
export const SUBSCRIBABLE_EVENT_TYPES: readonly string[] = [...TRIGGER_EVENT_TYPES, 'RuleFired'];

/**
 * Why a subscription cannot be stored, field by field. At least one event type; a type listed
 * twice is refused rather than silently de-duplicated, so what is stored is what was sent.
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
    if (data.eventTypes.length === 0) {
      violations.push({ field: 'eventTypes', reason: 'must list at least one event type' });
    }
    data.eventTypes.forEach((type, index) => {
      const field = `eventTypes[${index}]`;
      if (!SUBSCRIBABLE_EVENT_TYPES.includes(type)) {
        violations.push({ field, reason: 'must be a known event type' });
      } else if (data.eventTypes.indexOf(type) !== index) {
        violations.push({ field, reason: 'is listed twice' });
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
