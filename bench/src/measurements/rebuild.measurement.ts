import { Measurement } from '../harness/bench-types';

export const rebuildMeasurement: Measurement = {
  id: 9,
  title: 'Read-model rebuild',
  run: async () => {
    throw new Error('not measured yet');
  },
};
