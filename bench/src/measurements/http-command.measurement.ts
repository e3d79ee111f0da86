import { Measurement } from '../harness/bench-types';

export const httpCommandMeasurement: Measurement = {
  id: 5,
  title: 'HTTP command path',
  run: async () => {
    throw new Error('not measured yet');
  },
};
