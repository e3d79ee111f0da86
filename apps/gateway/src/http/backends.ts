import { Provider } from '@nestjs/common';

import { BACKEND_SERVICES, BackendService } from '@relate/config';

import {
  ActivitiesForwarding,
  AutomationForwarding,
  ContactsForwarding,
  Forwarding,
  PipelineForwarding,
  ReportingForwarding,
} from './forwarding';
import {
  ActivitiesClient,
  AutomationClient,
  ContactsClient,
  PipelineClient,
  ReportingClient,
  ServiceClient,
} from './service.client';

/** Each service's client and forwarding class: the injection tokens controllers ask for. */
export const BACKENDS: Record<
  BackendService,
  { client: typeof ServiceClient; forwarding: typeof Forwarding }
> = {
  contacts: { client: ContactsClient, forwarding: ContactsForwarding },
  pipeline: { client: PipelineClient, forwarding: PipelineForwarding },
  activities: { client: ActivitiesClient, forwarding: ActivitiesForwarding },
  automation: { client: AutomationClient, forwarding: AutomationForwarding },
  reporting: { client: ReportingClient, forwarding: ReportingForwarding },
};

/** A client and a forwarding provider per backend service. */
export function backendProviders(
  urls: Record<BackendService, string>,
  timeoutMs: number | undefined,
): Provider[] {
  return BACKEND_SERVICES.flatMap((service) => {
    const { client, forwarding } = BACKENDS[service];

    return [
      { provide: client, useFactory: () => new client(service, urls[service], timeoutMs) },
      {
        provide: forwarding,
        inject: [client],
        useFactory: (serviceClient: ServiceClient) => new forwarding(serviceClient),
      },
    ];
  });
}
