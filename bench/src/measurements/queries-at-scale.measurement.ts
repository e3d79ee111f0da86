import { Measurement } from '../harness/bench-types';

export const queriesAtScaleMeasurement: Measurement = {
  id: 11,
  title: 'Queries at scale',
  run: async () => {
    throw new Error('not measured yet');
  },
};
