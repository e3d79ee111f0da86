import { RelateError } from '@relate/errors';

import { createValidationPipe } from '../http/validation';
import { SubscribeWebhookDto } from './automation.dto';

async function violationsOf(body: object) {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: SubscribeWebhookDto });

    return [];
  } catch (error) {
    return (error as RelateError).violations;
  }
}

describe(SubscribeWebhookDto.name, () => {
  const url = 'https://hooks.example.test/relate';

  it('refuses no type, a type twice and an unknown type, naming eventTypes', async () => {
    expect(await violationsOf({ url, eventTypes: [] })).toEqual([
      { field: 'eventTypes', reason: 'eventTypes must list at least one event type' },
    ]);
    expect(await violationsOf({ url, eventTypes: ['DealWon', 'DealWon'] })).toEqual([
      { field: 'eventTypes', reason: 'eventTypes must not list an event type twice' },
    ]);
    expect(await violationsOf({ url, eventTypes: ['DealWon', 'Nope'] })).toEqual([
      { field: 'eventTypes', reason: 'each value in eventTypes must be a known event type' },
    ]);
  });

  it('accepts every catalogue a subscription receives, RuleFired included', async () => {
    const eventTypes = ['CompanyRegistered', 'DealWon', 'TaskCompleted', 'RuleFired'];
    expect(await violationsOf({ url, eventTypes })).toEqual([]);
  });
});
