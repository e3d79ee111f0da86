import { IHeaders, KafkaMessage } from 'kafkajs';

import { describeError, errorCode } from './failure-policy';

/** Headers a parked event carries on the dead-letter topic, besides its original ones. */
export const DeadLetterHeaders = {
  errorCode: 'relate-dlq-error-code',
  errorMessage: 'relate-dlq-error-message',
  projection: 'relate-dlq-projection',
  originalTopic: 'relate-dlq-original-topic',
  originalPartition: 'relate-dlq-original-partition',
  originalOffset: 'relate-dlq-original-offset',
  attempts: 'relate-dlq-attempts',
  failedAt: 'relate-dlq-failed-at',
} as const;

const MAX_ERROR_MESSAGE_LENGTH = 1000;

export function deadLetterTopicFor(topic: string): string {
  return `${topic}.dlq`;
}

export function deadLetterHeaders(
  message: KafkaMessage,
  failure: {
    error: unknown;
    projection: string;
    topic: string;
    partition: number;
    attempts: number;
    failedAt: Date;
  },
): IHeaders {
  return {
    ...message.headers,
    [DeadLetterHeaders.errorCode]: errorCode(failure.error),
    [DeadLetterHeaders.errorMessage]: describeError(failure.error).slice(
      0,
      MAX_ERROR_MESSAGE_LENGTH,
    ),
    [DeadLetterHeaders.projection]: failure.projection,
    [DeadLetterHeaders.originalTopic]: failure.topic,
    [DeadLetterHeaders.originalPartition]: String(failure.partition),
    [DeadLetterHeaders.originalOffset]: message.offset,
    [DeadLetterHeaders.attempts]: String(failure.attempts),
    [DeadLetterHeaders.failedAt]: failure.failedAt.toISOString(),
  };
}
