import { Measurement } from '../harness/bench-types';

export const projectionCatchUpMeasurement: Measurement = {
  id: 7,
  title: 'Projection catch-up',
  run: async () => {
    throw new Error('not measured yet');
  },
};
