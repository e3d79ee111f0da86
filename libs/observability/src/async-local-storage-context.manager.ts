import { AsyncLocalStorage } from 'node:async_hooks';

import { Context, ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';

/**
 * Keeps the active OpenTelemetry context across `await`s with Node's AsyncLocalStorage. The
 * API's default manager is a no-op, under which `context.with` never changes the active
 * context; the SDK's equivalent lives in @opentelemetry/context-async-hooks, which we do not
 * depend on.
 */
export class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(context, () => fn.apply(thisArg, args));
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') {
      return target;
    }
    const run = (thisArg: unknown, args: unknown[]): unknown =>
      this.storage.run(context, () =>
        (target as (...a: unknown[]) => unknown).apply(thisArg, args),
      );

    return function bound(this: unknown, ...args: unknown[]) {
      return run(this, args);
    } as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.storage.disable();

    return this;
  }
}
