/** The part of an HTTP request that Relate's controllers, filters and interceptors read. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The part of an HTTP response that Relate's filters and interceptors write. */
export interface HttpResponse {
  statusCode: number;
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

export function headerOf(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;

  return first === undefined || first.trim() === '' ? undefined : first.trim();
}
