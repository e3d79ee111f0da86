import request from 'supertest';

import { ServiceStack, startServiceStack } from './service-stack';

export { BROKERS_ENV } from './service-stack';
export { eventually } from '@relate/testing';

export interface E2eStack {
  /** Requests to the gateway as tenant A (`a`), tenant B (`b`), or without key (`anonymous`). */
  as(tenant: 'a' | 'b' | 'anonymous'): {
    get(path: string): request.Test;
    post(path: string, body?: object): request.Test;
    patch(path: string, body: object): request.Test;
    put(path: string, body: object): request.Test;
    delete(path: string): request.Test;
  };
  tenants: { a: string; b: string };
  /** The running services, for specs that restart one or read a database directly. */
  stack: ServiceStack;
  stop(): Promise<void>;
}

/**
 * Every service and the gateway on free loopback ports, on a database of their own and the test
 * broker, with topics and Kafka client ids of their own so that specs never share a consumer
 * group. Requests go through the public API with tenant A's or B's key.
 */
export async function startE2eStack(
  label: string,
  settings?: Record<string, unknown>,
): Promise<E2eStack> {
  const stack = await startServiceStack({ label, settings });
  const { tenants, gatewayUrl } = stack;

  return {
    stack,
    tenants: { a: tenants.a.tenantId, b: tenants.b.tenantId },
    stop: () => stack.stop(),
    as: (tenant) => {
      const key = tenant === 'anonymous' ? {} : { 'x-api-key': tenants[tenant].key };
      const agent = request(gatewayUrl);

      return {
        get: (path) => agent.get(`/api/v1${path}`).set(key),
        post: (path, body = {}) => agent.post(`/api/v1${path}`).set(key).send(body),
        patch: (path, body) => agent.patch(`/api/v1${path}`).set(key).send(body),
        put: (path, body) => agent.put(`/api/v1${path}`).set(key).send(body),
        delete: (path) => agent.delete(`/api/v1${path}`).set(key),
      };
    },
  };
}
