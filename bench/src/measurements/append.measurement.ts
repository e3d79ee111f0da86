import { Measurement } from '../harness/bench-types';

export const appendMeasurement: Measurement = {
  id: 1,
  title: 'Single-event append',
  run: async () => {
    throw new Error('not measured yet');
  },
};
