export * from './async-local-storage-context.manager';
export * from './recording-tracer';
export * from './telemetry-names';
export * from './traceparent';
export * from './tracing';
export * from './w3c-trace-context.propagator';
export * from './structured.logger';
export * from './metrics';
