import { Measurement } from '../harness/bench-types';
import { appendMeasurement } from './append.measurement';
import { batchedAppendMeasurement } from './batched-append.measurement';
import { contentionMeasurement } from './contention.measurement';
import { endToEndMeasurement } from './end-to-end.measurement';
import { httpCommandMeasurement } from './http-command.measurement';
import { importMeasurement } from './import.measurement';
import { memoryMeasurement } from './memory.measurement';
import { peerAppendMeasurement } from './peer-append.measurement';
import { projectionCatchUpMeasurement } from './projection-catch-up.measurement';
import { queriesAtScaleMeasurement } from './queries-at-scale.measurement';
import { rebuildMeasurement } from './rebuild.measurement';
import { relayMeasurement } from './relay.measurement';

/** Every measurement of the report, in the report's order. */
export const MEASUREMENTS: readonly Measurement[] = [
  appendMeasurement,
  batchedAppendMeasurement,
  peerAppendMeasurement,
  contentionMeasurement,
  httpCommandMeasurement,
  relayMeasurement,
  projectionCatchUpMeasurement,
  endToEndMeasurement,
  rebuildMeasurement,
  importMeasurement,
  queriesAtScaleMeasurement,
  memoryMeasurement,
]
  .slice()
  .sort((a, b) => a.id - b.id);
