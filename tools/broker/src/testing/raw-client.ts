import { connect, Socket } from 'node:net';

import { FrameDecoder } from '../protocol/frame-decoder';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';

/**
 * A bare Kafka connection for protocol-level tests: sends hand-built requests and hands back
 * raw response frames, so tests can check what no client library would let them send.
 */
export class RawKafkaClient {
  private readonly frames = new FrameDecoder(64 * 1024 * 1024);
  private readonly received: Buffer[] = [];
  private waiting: (() => void) | null = null;
  private closedFlag = false;
  private nextCorrelationId = 1;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.received.push(...this.frames.push(chunk));
      this.waiting?.();
    });
    socket.on('close', () => {
      this.closedFlag = true;
      this.waiting?.();
    });
    socket.on('error', () => undefined);
  }

  static connect(host: string, port: number): Promise<RawKafkaClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new RawKafkaClient(socket)));
      socket.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Sends a request with a v1 header (v2 when `flexible`); returns its correlation id. */
  send(apiKey: number, apiVersion: number, body: Buffer, flexible = false): number {
    const correlationId = this.nextCorrelationId++;
    const header = new Writer().int16(apiKey).int16(apiVersion).int32(correlationId).string('raw');
    if (flexible) {
      header.emptyTaggedFields();
    }
    this.sendFrame(Buffer.concat([header.toBuffer(), body]));

    return correlationId;
  }

  sendFrame(payload: Buffer): void {
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    this.sendBytes(Buffer.concat([size, payload]));
  }

  /** Bytes as they are, framing included or not. */
  sendBytes(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next response frame, positioned after its correlation id. */
  async response(timeoutMs = 5_000): Promise<{ correlationId: number; body: Reader }> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0) {
      if (this.closedFlag || Date.now() > deadline) {
        throw new Error(this.closedFlag ? 'connection closed' : 'no response in time');
      }
      await this.nextEvent(deadline);
    }
    const body = new Reader(this.received.shift()!);

    return { correlationId: body.int32(), body };
  }

  async waitClosed(timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closedFlag && Date.now() < deadline) {
      await this.nextEvent(deadline);
    }

    return this.closedFlag;
  }

  /** Resolves on the next frame or close, or at the deadline. */
  private nextEvent(deadline: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      this.waiting = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
