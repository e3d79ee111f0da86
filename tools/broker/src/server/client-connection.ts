import { Socket } from 'node:net';

import { BrokerLogger } from '../broker.config';
import { FrameDecoder } from '../protocol/frame-decoder';
import { Reader } from '../protocol/reader';
import { readRequestHeader } from '../protocol/request-header';
import { RequestDispatcher, UnsupportedRequestError } from './request-dispatcher';

interface ResponseSlot {
  done: boolean;
  response: Buffer | null;
}

/**
 * Requests one connection may have started and not yet answered, and bytes of answers the client
 * has not read yet, beyond which the broker reads nothing more from it until it catches up (as
 * Kafka mutes a channel): a client that sends requests and never reads the answers (many Fetches
 * of large records) must not make the broker hold an unbounded amount of memory.
 */
export const MAX_REQUESTS_IN_PROGRESS = 16;
export const MAX_UNREAD_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * One client socket. Requests start in arrival order and may run concurrently (a parked Fetch
 * or JoinGroup does not hold up the requests behind it), but responses leave strictly in
 * request order, which is what every Kafka client is built against (pitfall 1).
 */
export class ClientConnection {
  private readonly frames: FrameDecoder;
  private readonly slots: ResponseSlot[] = [];
  /** Frames received while the connection was at its limits: started once it is not. */
  private readonly backlog: Buffer[] = [];
  private clientId: string | null = null;
  private requests = 0;
  private closed = false;
  /** Kept apart: the socket forgets its remote port once closed. */
  private readonly remotePort: number | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly dispatcher: RequestDispatcher,
    private readonly logger: BrokerLogger,
    maxRequestBytes: number,
  ) {
    this.frames = new FrameDecoder(maxRequestBytes);
    this.remotePort = socket.remotePort;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (error) => this.logger.debug?.('client socket error', this.fields(error)));
    socket.on('close', () => this.onClose());
    socket.on('drain', () => this.startBacklog());
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.frames.push(chunk);
    } catch (error) {
      this.abort('oversized request frame', error);

      return;
    }
    this.backlog.push(...frames);
    this.startBacklog();
  }

  /** Starts the frames received, in order, while the client keeps up; reads on only then. */
  private startBacklog(): void {
    while (this.backlog.length > 0 && !this.closed && !this.atLimit()) {
      this.onFrame(this.backlog.shift()!);
    }
    if (this.backlog.length > 0 && !this.closed) {
      this.socket.pause();
    } else if (this.socket.isPaused()) {
      this.socket.resume();
    }
  }

  private atLimit(): boolean {
    return (
      this.slots.length >= MAX_REQUESTS_IN_PROGRESS ||
      this.socket.writableLength >= MAX_UNREAD_RESPONSE_BYTES
    );
  }

  private onFrame(frame: Buffer): void {
    const slot: ResponseSlot = { done: false, response: null };
    try {
      const body = new Reader(frame);
      const header = readRequestHeader(body);
      this.noteClient(header.clientId);
      this.requests++;
      this.slots.push(slot);
      const origin = {
        clientId: header.clientId ?? '',
        clientHost: `/${this.socket.remoteAddress ?? ''}`,
      };
      this.dispatcher.dispatch(header, body, origin).then(
        (response) => this.complete(slot, response),
        (error) => this.abort('request failed', error),
      );
    } catch (error) {
      this.abort('request refused', error);
    }
  }

  private complete(slot: ResponseSlot, response: Buffer | null): void {
    slot.done = true;
    slot.response = response;
    while (this.slots.length > 0 && this.slots[0].done) {
      const next = this.slots.shift()!;
      if (next.response && !this.closed) {
        this.socket.write(next.response);
      }
    }
    this.startBacklog();
  }

  private noteClient(clientId: string | null): void {
    if (this.requests === 0) {
      this.clientId = clientId;
      this.logger.log('client connected', { clientId, remotePort: this.remotePort });
    }
  }

  /** Kafka closes the connection on a request it cannot parse or does not support. */
  private abort(reason: string, error: unknown): void {
    if (this.closed) {
      return;
    }
    const expected = error instanceof UnsupportedRequestError || error instanceof RangeError;
    const fields = this.fields(error);
    if (expected || reason === 'oversized request frame') {
      this.logger.warn(`${reason}, closing connection`, fields);
    } else {
      this.logger.error(`${reason}, closing connection`, fields);
    }
    this.closed = true;
    this.socket.destroy();
  }

  private onClose(): void {
    this.closed = true;
    this.logger.log('client disconnected', {
      clientId: this.clientId,
      remotePort: this.remotePort,
      requests: this.requests,
    });
  }

  private fields(error: unknown): Record<string, unknown> {
    return {
      clientId: this.clientId,
      remotePort: this.remotePort,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
