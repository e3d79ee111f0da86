/** The services behind the gateway, in the order `npm start` starts them. */
export const BACKEND_SERVICES = [
  'contacts',
  'pipeline',
  'activities',
  'automation',
  'reporting',
] as const;

export type BackendService = (typeof BACKEND_SERVICES)[number];

/** Where each backend service listens by default on one machine. */
export const DEFAULT_SERVICE_PORTS: Record<BackendService, number> = {
  contacts: 3101,
  pipeline: 3102,
  activities: 3103,
  automation: 3104,
  reporting: 3105,
};

/** `RELATE_ACTIVITIES_PORT`: the variable `npm start` reads a service's port from. */
export function servicePortVariable(service: BackendService): string {
  return `RELATE_${service.toUpperCase()}_PORT`;
}

/** `ACTIVITIES_URL`: the variable the gateway reads a service's address from. */
export function serviceUrlVariable(service: BackendService): string {
  return `${service.toUpperCase()}_URL`;
}
