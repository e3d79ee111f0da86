import { Measurement } from '../harness/bench-types';

export const batchedAppendMeasurement: Measurement = {
  id: 2,
  title: 'Batched append',
  run: async () => {
    throw new Error('not measured yet');
  },
};
