import { Admin, AssignerProtocol } from 'kafkajs';

import { createKafkaClient, KafkaSettings } from '@relate/messaging';

/** A group's members as DescribeGroups shows them, with the partitions each was assigned. */
export interface GroupView {
  state: string;
  members: Array<{ clientId: string; partitions: number[] }>;
}

/**
 * Watches one consumer group through DescribeGroups: each new stable membership (another set of
 * members, or another assignment) counts as a rebalance seen.
 */
export class GroupWatcher {
  private readonly admin: Admin;
  private timer: NodeJS.Timeout | null = null;
  private lastStable = '';
  private polling: Promise<void> = Promise.resolve();
  rebalances = 0;
  latest: GroupView = { state: 'Unknown', members: [] };

  constructor(
    kafka: KafkaSettings,
    private readonly groupId: string,
    private readonly topic: string,
  ) {
    this.admin = createKafkaClient(kafka).admin();
  }

  async start(intervalMs = 200): Promise<void> {
    await this.admin.connect();
    const tick = () => {
      this.polling = this.poll()
        .catch(() => undefined)
        .finally(() => {
          if (this.timer) {
            this.timer = setTimeout(tick, intervalMs);
          }
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.polling;
    await this.admin.disconnect();
  }

  /** The group now, straight from the broker. */
  async describe(): Promise<GroupView> {
    const { groups } = await this.admin.describeGroups([this.groupId]);
    const group = groups[0];
    const members = (group?.members ?? []).map((member) => {
      const decoded = member.memberAssignment.length
        ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment)
        : null;

      return {
        clientId: member.clientId,
        partitions: [...(decoded?.assignment[this.topic] ?? [])].sort((a, b) => a - b),
      };
    });

    return { state: group?.state ?? 'Unknown', members };
  }

  private async poll(): Promise<void> {
    this.latest = await this.describe();
    if (this.latest.state !== 'Stable') {
      return;
    }
    const key = JSON.stringify(
      [...this.latest.members].sort((a, b) => a.clientId.localeCompare(b.clientId)),
    );
    if (key !== this.lastStable) {
      this.lastStable = key;
      this.rebalances += 1;
    }
  }
}

/**
 * Whether the members split the partitions: each holds some, none holds one another holds, and
 * together they hold all of them.
 */
export function splitsPartitions(view: GroupView, partitions: number): boolean {
  const held = view.members.flatMap((member) => member.partitions);

  return (
    view.members.every((member) => member.partitions.length > 0) &&
    new Set(held).size === held.length &&
    held.length === partitions
  );
}
