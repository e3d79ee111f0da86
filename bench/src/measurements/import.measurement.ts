import { Measurement } from '../harness/bench-types';

export const importMeasurement: Measurement = {
  id: 10,
  title: 'Import',
  run: async () => {
    throw new Error('not measured yet');
  },
};
