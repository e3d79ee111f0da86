import { LogLevel } from '@nestjs/common';

import { Topics } from '@relate/contracts';
import { Clock, IdGenerator } from '@relate/event-store';

/** What a service needs to run; main.ts reads it from the environment, tests build it. */
export interface ServiceSettings {
  databaseUrl: string;
  kafkaBrokers: string[];
  /** Topic names; default the catalogue's. Tests pass random ones to stay apart. */
  topics?: Partial<ResolvedTopics>;
  /** Prefix of Kafka client ids; default `relate`. */
  kafkaClientId?: string;
  /** Connections to PostgreSQL; default 10. */
  poolSize?: number;
  clock?: Clock;
  ids?: IdGenerator;
  /** Nest log levels; default all but debug and verbose. Tests keep warnings and errors. */
  logLevels?: LogLevel[];
}

/** The topic of each owning context, as this deployment names them. */
export type ResolvedTopics = { [Context in keyof typeof Topics]: string };

export function resolveTopics(settings: ServiceSettings): ResolvedTopics {
  const contexts = Object.keys(Topics) as Array<keyof typeof Topics>;

  return Object.fromEntries(
    contexts.map((context) => [context, settings.topics?.[context] ?? Topics[context]]),
  ) as ResolvedTopics;
}
