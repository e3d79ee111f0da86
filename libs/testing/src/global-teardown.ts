import { testStack } from './test-stack';

export default async function globalTeardown(): Promise<void> {
  for (const stop of testStack.stops.reverse()) {
    await stop();
  }
  testStack.stops.length = 0;
}
