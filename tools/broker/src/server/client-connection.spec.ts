import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

import { Writer } from '../protocol/writer';
import {
  ClientConnection,
  MAX_REQUESTS_IN_PROGRESS,
  MAX_UNREAD_RESPONSE_BYTES,
} from './client-connection';
import { RequestDispatcher } from './request-dispatcher';

const RESPONSE_BYTES = 1024 * 1024;

/** A Metadata v4 request with no body: the dispatcher below answers anything. */
function frame(correlationId: number): Buffer {
  const payload = new Writer().int16(3).int16(4).int32(correlationId).string('spec').toBuffer();
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);

  return Buffer.concat([size, payload]);
}

describe(ClientConnection.name, () => {
  let server: Server;
  let client: Socket;
  let dispatched = 0;

  beforeEach(async () => {
    dispatched = 0;
    const logger = { log: () => undefined, warn: () => undefined, error: () => undefined };
    // Each answer is 1 MiB, built when its request starts, as a large Fetch's is.
    const dispatcher = {
      dispatch: async (header: { correlationId: number }) => {
        dispatched += 1;
        const response = Buffer.alloc(RESPONSE_BYTES + 8);
        response.writeInt32BE(RESPONSE_BYTES + 4, 0);
        response.writeInt32BE(header.correlationId, 4);

        return response;
      },
    } as unknown as RequestDispatcher;
    server = createServer((socket) => {
      new ClientConnection(socket, dispatcher, logger, 1024 * 1024);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = await new Promise<Socket>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    });
  });

  afterEach(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('starts no more requests of a client that reads no answers, then goes on', async () => {
    const requests = 200;
    client.pause();
    client.write(Buffer.concat(Array.from({ length: requests }, (_, i) => frame(i + 1))));
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Bounded by the limits (and what the kernel's socket buffers take), not by what the client
    // sent: 200 MiB of answers would be held otherwise.
    const kernelBuffers = 16;
    const bound =
      MAX_REQUESTS_IN_PROGRESS + MAX_UNREAD_RESPONSE_BYTES / RESPONSE_BYTES + kernelBuffers;
    expect(dispatched).toBeLessThanOrEqual(bound);

    const correlationIds: number[] = [];
    let received = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
        correlationIds.push(received.readInt32BE(4));
        received = received.subarray(4 + received.readInt32BE(0));
      }
    });
    client.resume();
    const deadline = Date.now() + 10_000;
    while (correlationIds.length < requests && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(correlationIds).toEqual(Array.from({ length: requests }, (_, i) => i + 1));
    expect(dispatched).toBe(requests);
  });
});
