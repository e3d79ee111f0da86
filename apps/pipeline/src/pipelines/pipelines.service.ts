import { Inject, Injectable, Logger } from '@nestjs/common';

import {
  CommandContext,
  DefinePipelineRequest,
  pipelineStreamId,
  PipelineStreams,
  WriteResult,
} from '@relate/contracts';
import { isRelateError } from '@relate/errors';
import { encodeConsistencyToken, IdGenerator } from '@relate/event-store';
import { AggregateRepository, EventSourcedRepository, ID_GENERATOR } from '@relate/service-kit';

import { PipelineErrorCodes } from '../pipeline.errors';
import { defaultPipelineId, defineDefaultPipeline } from './default-pipeline';
import { PipelineCommand, pipelineDecider, PipelineState } from './pipeline.decider';

/** Pipeline commands, and the pipeline definitions that deal commands decide against. */
@Injectable()
export class PipelinesService {
  private readonly logger = new Logger(PipelinesService.name);

  private readonly pipelines: AggregateRepository<PipelineCommand, PipelineState>;

  constructor(
    repository: EventSourcedRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.pipelines = repository.of(pipelineDecider, PipelineStreams.pipeline);
  }

  define(context: CommandContext, request: DefinePipelineRequest): Promise<WriteResult> {
    const pipelineId = request.id ?? this.ids.next();

    return this.execute(context, {
      type: 'DefinePipeline',
      pipelineId,
      name: request.name,
      isDefault: false,
      stages: request.stages.map((stage) => ({
        stageId: stage.id ?? this.ids.next(),
        name: stage.name,
        kind: stage.kind,
        probability: stage.probability ?? null,
      })),
    });
  }

  async load(tenantId: string, pipelineId: string): Promise<PipelineState> {
    const { state } = await this.pipelines.load(tenantId, pipelineId);

    return state;
  }

  /**
   * The tenant's default pipeline, defined on first use, with a consistency token for its
   * definition: the read model may not show a pipeline defined a moment ago (by this call or a
   * concurrent one), so a read waits for that token.
   */
  async ensureDefault(
    context: CommandContext,
  ): Promise<{ pipeline: PipelineState; consistencyToken: string }> {
    const pipelineId = defaultPipelineId(context.tenantId);
    const consistencyToken = encodeConsistencyToken(
      pipelineStreamId(context.tenantId, pipelineId),
      1,
    );
    const existing = await this.load(context.tenantId, pipelineId);
    if (existing.defined) {
      return { pipeline: existing, consistencyToken };
    }
    const system: CommandContext = {
      ...context,
      actor: { type: 'system', id: 'pipeline.default-pipeline' },
    };
    try {
      await this.execute(system, defineDefaultPipeline(context.tenantId));
      this.logger.log('default pipeline defined', { tenantId: context.tenantId });
    } catch (error) {
      // A concurrent first request defined it a moment ago: that is the same pipeline.
      if (!isRelateError(error) || error.code !== PipelineErrorCodes.alreadyExists) {
        throw error;
      }
    }

    return { pipeline: await this.load(context.tenantId, pipelineId), consistencyToken };
  }

  private execute(context: CommandContext, command: PipelineCommand): Promise<WriteResult> {
    return this.pipelines.execute({ context, id: command.pipelineId }, command);
  }
}
