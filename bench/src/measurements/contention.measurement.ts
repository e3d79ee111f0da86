import { Measurement } from '../harness/bench-types';

export const contentionMeasurement: Measurement = {
  id: 4,
  title: 'Contention on one stream',
  run: async () => {
    throw new Error('not measured yet');
  },
};
