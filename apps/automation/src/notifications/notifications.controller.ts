import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import { Pool } from 'pg';

import {
  AutomationStreams,
  CommandContext,
  NotificationListQuery,
  notificationStreamId,
  NotificationView,
  Page,
  WriteResult,
} from '@relate/contracts';
import { encodeConsistencyToken, PostgresEventStore } from '@relate/event-store';
import {
  Consistency,
  Ctx,
  flagOf,
  pagingOf,
  ReadModels,
  selectPage,
  SqlFilter,
} from '@relate/service-kit';

import { notificationNotFound } from '../automation.errors';
import { isWrongVersion } from '../automation.wiring';
import { NotificationsProjection } from './notifications.projection';

interface NotificationRow {
  notification_id: string;
  user_id: string;
  rule_id: string;
  firing_id: string;
  message: string;
  created_at: Date;
  read_at: Date | null;
}

const toView = (row: NotificationRow): NotificationView => ({
  id: row.notification_id,
  userId: row.user_id,
  ruleId: row.rule_id,
  firingId: row.firing_id,
  message: row.message,
  createdAt: row.created_at.toISOString(),
  readAt: row.read_at?.toISOString() ?? null,
});

@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly pool: Pool,
    private readonly store: PostgresEventStore,
    private readonly readModels: ReadModels,
  ) {}

  /** The calling user's notifications unless `userId` names another. */
  @Get()
  async list(
    @Ctx() context: CommandContext,
    @Query() query: NotificationListQuery,
    @Consistency() token?: string,
  ): Promise<Page<NotificationView>> {
    await this.readModels.waitFor(context.tenantId, token, [NotificationsProjection]);
    const filter = SqlFilter.forTenant('tenant_id', context.tenantId).bind(
      query.userId || context.actor.id,
      (p) => `user_id = ${p}`,
    );
    if (flagOf(query.unread)) {
      filter.and('read_at IS NULL');
    }

    return selectPage(this.pool, {
      select: 'SELECT * FROM automation.notifications',
      countFrom: 'automation.notifications',
      filter,
      orderBy: 'created_at DESC, notification_id',
      paging: pagingOf(query),
      toView,
    });
  }

  /**
   * Marks a notification read; reading it again changes nothing. Only its user (the caller's
   * actor id) may: anyone else gets the same 404 as for an unknown id, so another user's
   * notifications cannot be marked or even probed for.
   */
  @Post(':id/read')
  async markRead(@Ctx() context: CommandContext, @Param('id') id: string): Promise<WriteResult> {
    const { rows } = await this.pool.query<{ user_id: string }>(
      `SELECT user_id FROM automation.notifications
       WHERE tenant_id = $1 AND notification_id = $2 AND user_id = $3`,
      [context.tenantId, id, context.actor.id],
    );
    if (rows.length === 0) {
      throw notificationNotFound(id);
    }
    const streamId = notificationStreamId(context.tenantId, id);
    try {
      const appended = await this.store.append(
        streamId,
        AutomationStreams.notification.type,
        [
          {
            type: 'NotificationRead',
            schemaVersion: 1,
            data: { notificationId: id, userId: rows[0].user_id },
          },
        ],
        { expectedVersion: 'no_stream', context },
      );

      return { id, version: appended.streamVersion, consistencyToken: appended.consistencyToken };
    } catch (error) {
      if (!isWrongVersion(error)) {
        throw error;
      }

      return { id, version: 1, consistencyToken: encodeConsistencyToken(streamId, 1) };
    }
  }
}
