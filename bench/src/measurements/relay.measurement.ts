import { Measurement } from '../harness/bench-types';

export const relayMeasurement: Measurement = {
  id: 6,
  title: 'Outbox relay to the broker',
  run: async () => {
    throw new Error('not measured yet');
  },
};
