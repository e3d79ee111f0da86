import { Measurement } from '../harness/bench-types';

export const endToEndMeasurement: Measurement = {
  id: 8,
  title: 'End to end: answer to read model',
  run: async () => {
    throw new Error('not measured yet');
  },
};
