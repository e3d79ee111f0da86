/** A service path with one id in it, encoded so that an id can never change the route. */
export function pathOf(resource: string, id: string, action?: string): string {
  const base = `/${resource}/${encodeURIComponent(id)}`;

  return action === undefined ? base : `${base}/${action}`;
}
