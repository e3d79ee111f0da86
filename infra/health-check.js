// Container health check of a Relate service: its health endpoint answers 2xx.
const port = process.env.PORT ?? '3000';
const path = process.env.HEALTH_PATH ?? '/health';

fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
