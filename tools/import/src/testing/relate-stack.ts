import { Client } from 'pg';

// The import talks HTTP to a gateway; the specs start one in-process with the services behind
// it, as `npm start` starts them as processes.
import { startServiceStack } from '../../../../apps/gateway/src/testing/service-stack';

export interface RelateStack {
  gatewayUrl: string;
  apiKey: string;
  /** Events stored by the contacts and pipeline services, straight from their event stores. */
  countEvents(): Promise<number>;
  stop(): Promise<void>;
}

/** Every service and the gateway on free loopback ports, a database and topics of their own. */
export async function startRelateStack(label: string): Promise<RelateStack> {
  const stack = await startServiceStack({ label });

  return {
    gatewayUrl: stack.gatewayUrl,
    apiKey: stack.tenants.a.key,
    countEvents: () => countEvents(stack.database.url),
    stop: () => stack.stop(),
  };
}

async function countEvents(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `SELECT (SELECT count(*) FROM contacts.events)
            + (SELECT count(*) FROM pipeline.events) AS count`,
    );

    return Number(rows[0].count);
  } finally {
    await client.end();
  }
}
