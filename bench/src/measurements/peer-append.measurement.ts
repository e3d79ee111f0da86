import { Measurement } from '../harness/bench-types';

export const peerAppendMeasurement: Measurement = {
  id: 3,
  title: 'Append against a peer event store',
  run: async () => {
    throw new Error('not measured yet');
  },
};
