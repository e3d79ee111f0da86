import { RelateError } from '@relate/errors';

// Every id is a UUID or a similar token; anything else (control characters, slashes, a megabyte
// of text) cannot name a resource and must not reach a service's SQL.
const ID = /^[A-Za-z0-9._~-]{1,128}$/;

/** A service path with one id in it, encoded so that an id can never change the route. */
export function pathOf(resource: string, id: string, action?: string): string {
  if (!ID.test(id)) {
    throw new RelateError('GATEWAY.NOT_FOUND', 'not_found', `No ${resource} has this id`);
  }
  const base = `/${resource}/${encodeURIComponent(id)}`;

  return action === undefined ? base : `${base}/${action}`;
}
