import { randomBytes } from 'node:crypto';

import { context, propagation, trace } from '@opentelemetry/api';
import { Pool } from 'pg';

import {
  RecordingTracerProvider,
  SpanAttributes,
  SpanNames,
  currentTraceparent,
  installTraceContext,
} from '@relate/observability';
import { TestDatabase, createTestDatabase } from '@relate/testing';

import { EventPublisher } from './event-publisher';
import { ProjectionRunner } from './projection-runner';
import { NotesProjection, noteEvent, testKafkaSettings } from './testing/notes.projection';

const settings = testKafkaSettings('projection-tracing-spec');

describe(`${ProjectionRunner.name} tracing`, () => {
  const provider = new RecordingTracerProvider();
  let database: TestDatabase;
  let pool: Pool;
  let publisher: EventPublisher;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    installTraceContext();
    provider.register();
    database = await createTestDatabase('projection_tracing');
    pool = new Pool({ connectionString: database.url });
    publisher = new EventPublisher(settings);
    await publisher.connect();
  });

  afterAll(async () => {
    await runner?.stop();
    await publisher.disconnect();
    await pool.end();
    await database.drop();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('continues the producer trace in a span per applied event', async () => {
    const topic = `spec.tracing.${randomBytes(4).toString('hex')}`;
    const projection = new NotesProjection([topic], 'tracing');
    runner = new ProjectionRunner(pool, settings, projection, {
      schema: 'tracing',
      fromBeginning: true,
    });
    const command = provider.getTracer().startSpan('relate.spec.command');
    const traceparent = context.with(trace.setSpan(context.active(), command), () =>
      currentTraceparent(),
    );
    command.end();
    const event = noteEvent('a', 1, { n: 1 }, { traceparent });

    await publisher.publish(topic, [event]);
    await runner.start();

    expect(await runner.waitFor('a', 1, 15_000)).toBe(true);
    const applySpan = provider.spans.find((span) => span.name === SpanNames.projectionApply);
    const producer = command.spanContext();
    expect(applySpan).toMatchObject({
      parentSpanId: producer.spanId,
      spanContext: { traceId: producer.traceId },
      attributes: { [SpanAttributes.eventId]: event.id, [SpanAttributes.projection]: 'notes' },
      ended: true,
    });
    expect(projection.seenSpanContexts).toEqual([
      expect.objectContaining({
        traceId: producer.traceId,
        spanId: applySpan?.spanContext.spanId,
      }),
    ]);
  });
});
