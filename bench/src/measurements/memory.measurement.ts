import { Measurement } from '../harness/bench-types';

export const memoryMeasurement: Measurement = {
  id: 12,
  title: 'Memory and event-loop delay',
  run: async () => {
    throw new Error('not measured yet');
  },
};
