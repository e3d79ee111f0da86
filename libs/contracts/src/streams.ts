import { ActivitiesStreams } from './activities.events';
import { AutomationStreams } from './automation.events';
import { ContactsStreams } from './contacts.events';
import { PipelineStreams } from './pipeline.events';
import { Topics } from './topics';

/** The stream prefixes each owning context writes, keyed like {@link Topics}. */
export const StreamsByContext = {
  contacts: ContactsStreams,
  pipeline: PipelineStreams,
  activities: ActivitiesStreams,
  automation: AutomationStreams,
} as const satisfies Record<keyof typeof Topics, Record<string, { prefix: string }>>;

export type OwningContext = keyof typeof StreamsByContext;

/** The context whose topic carries a stream of the tenant; undefined for any other stream. */
export function contextOfStream(streamId: string, tenantId: string): OwningContext | undefined {
  const contexts = Object.keys(StreamsByContext) as OwningContext[];

  return contexts.find((context) =>
    Object.values(StreamsByContext[context]).some(({ prefix }) =>
      streamId.startsWith(`${prefix}${tenantId}:`),
    ),
  );
}
