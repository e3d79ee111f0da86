/**
 * An in-memory stand-in for the gateway's REST API, just wide enough for the import's unit specs.
 * The end-to-end spec runs the real gateway and services instead.
 */
export class FakeRelateApi {
  readonly records = new Map<string, Map<string, Record<string, unknown>>>();
  readonly calls: string[] = [];
  /** Answers 503 to this many requests first, to exercise the client's retries. */
  unavailableFor = 0;

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const path = url.pathname.replace(/^\/api\/v1/, '');
    this.calls.push(`${method} ${path}`);
    if (this.unavailableFor > 0) {
      this.unavailableFor -= 1;

      return json(503, { error: 'UNAVAILABLE' });
    }
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {};

    return method === 'GET' ? this.read(path, url.searchParams) : this.write(path, body);
  };

  private table(name: string): Map<string, Record<string, unknown>> {
    let table = this.records.get(name);
    if (!table) {
      table = new Map();
      this.records.set(name, table);
    }

    return table;
  }

  private write(path: string, body: Record<string, unknown>): Response {
    const [, resource, id, action] = path.split('/');
    if (!id) {
      const table = this.table(resource);
      if (table.has(String(body.id))) return json(409, { error: 'ALREADY_EXISTS' });
      table.set(String(body.id), { ...body });

      return json(201, { id: body.id, version: 1, consistencyToken: 't' });
    }
    const deal = this.table('deals').get(id);
    if (!deal) return json(404, { error: 'NOT_FOUND' });
    if (deal.closed) return json(409, { error: 'PIPELINE.DEAL_CLOSED' });
    if (action === 'stage') deal.stageId = body.stageId;
    if (action === 'won' || action === 'lost') {
      deal.stageId = this.stageIdOf(String(deal.pipelineId), action === 'won' ? 'Won' : 'Lost');
      deal.closed = true;
      if (body.value !== undefined) deal.value = body.value;
    }

    return json(200, { id, version: 2, consistencyToken: 't' });
  }

  private read(path: string, query: URLSearchParams): Response {
    const [, resource, id, view] = path.split('/');
    if (!id) return json(200, this.list(resource, query));
    const record = this.table(resource).get(id);
    if (!record) return json(404, { error: 'NOT_FOUND' });
    if (view === 'summary') return json(200, this.summary(record));

    return json(200, record);
  }

  private list(resource: string, query: URLSearchParams) {
    const page = Number(query.get('page') ?? 1);
    const limit = Number(query.get('limit') ?? 50);
    const pipelineId = query.get('pipelineId');
    const all = [...this.table(resource).values()].filter(
      (record) => !pipelineId || record.pipelineId === pipelineId,
    );
    const items = all.slice((page - 1) * limit, page * limit);

    return { items, page, limit, total: all.length };
  }

  private stageIdOf(pipelineId: string, name: string): string {
    const pipeline = this.table('pipelines').get(pipelineId)!;
    const stages = pipeline.stages as Array<{ id: string; name: string }>;

    return stages.find((s) => s.name === name)!.id;
  }

  private summary(pipeline: Record<string, unknown>) {
    const deals = [...this.table('deals').values()].filter((d) => d.pipelineId === pipeline.id);
    const stages = (pipeline.stages as Array<{ id: string; name: string; kind: string }>).map(
      (stage) => {
        const inStage = deals.filter((d) => d.stageId === stage.id);
        const totalValue = inStage.reduce((sum, d) => sum + Number(d.value ?? 0), 0);

        return {
          stageId: stage.id,
          name: stage.name,
          kind: stage.kind,
          dealCount: inStage.length,
          totalValue,
          values: totalValue === 0 ? [] : [{ currency: 'USD', total: totalValue }],
        };
      },
    );
    const totalValue = stages.reduce((sum, s) => sum + s.totalValue, 0);
    const totals = {
      dealCount: deals.length,
      totalValue,
      values: totalValue === 0 ? [] : [{ currency: 'USD', total: totalValue }],
    };

    return { pipelineId: pipeline.id, name: pipeline.name, stages, totals };
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}
