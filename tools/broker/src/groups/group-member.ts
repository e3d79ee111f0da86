import { ErrorCode } from '../protocol/api-keys';

export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinResult {
  error: ErrorCode;
  generationId: number;
  protocolName: string;
  leaderId: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
}

export interface SyncResult {
  error: ErrorCode;
  assignment: Buffer;
}

export interface MemberSettings {
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
}

/** One member of a classic consumer group, with its parked Join/Sync responses. */
export class GroupMember {
  assignment: Buffer = Buffer.alloc(0);
  awaitingJoin: ((result: JoinResult) => void) | null = null;
  awaitingSync: ((result: SyncResult) => void) | null = null;
  private sessionTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly memberId: string,
    public settings: MemberSettings,
  ) {}

  /** Parked requests keep a member alive, as in Kafka: its client is waiting on us. */
  get isParked(): boolean {
    return this.awaitingJoin !== null || this.awaitingSync !== null;
  }

  metadataFor(protocolName: string): Buffer {
    return (
      this.settings.protocols.find((p) => p.name === protocolName)?.metadata ?? Buffer.alloc(0)
    );
  }

  hasSameProtocols(protocols: GroupProtocol[]): boolean {
    const own = this.settings.protocols;

    return (
      own.length === protocols.length &&
      own.every((p, i) => p.name === protocols[i].name && p.metadata.equals(protocols[i].metadata))
    );
  }

  /** Pushes the session deadline to now + session timeout. */
  touch(onExpire: () => void): void {
    if (this.sessionTimer) {
      clearTimeout(this.sessionTimer);
    }
    this.sessionTimer = setTimeout(onExpire, this.settings.sessionTimeoutMs);
    this.sessionTimer.unref();
  }

  answerJoin(result: JoinResult): void {
    const callback = this.awaitingJoin;
    this.awaitingJoin = null;
    callback?.(result);
  }

  answerSync(result: SyncResult): void {
    const callback = this.awaitingSync;
    this.awaitingSync = null;
    callback?.(result);
  }

  dispose(): void {
    if (this.sessionTimer) {
      clearTimeout(this.sessionTimer);
      this.sessionTimer = null;
    }
  }
}
