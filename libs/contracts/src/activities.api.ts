/** Requests and answers of the activities resources (gateway `/api/v1`, activities service `/`). */
import { ActivityDirection, ActivityKind, TaskPriority, TaskSource } from './activities.events';
import { PageQuery } from './http.api';

export interface LogActivityRequest {
  /** Client-chosen UUID, so that a retry does not log twice. */
  id?: string;
  kind: ActivityKind;
  /** ISO 8601 business time: when the call or meeting took place; not in the future. */
  occurredAt: string;
  direction?: ActivityDirection | null;
  outcome?: string | null;
  durationMinutes?: number | null;
  /** Default: the calling rep. */
  ownerId?: string | null;
  personId?: string | null;
  companyId?: string | null;
  dealId?: string | null;
  subject?: string | null;
  body?: string | null;
}

/** PATCH: only the fields present change; `null` clears a field. Kind and records stay. */
export interface CorrectActivityRequest {
  occurredAt?: string;
  direction?: ActivityDirection | null;
  outcome?: string | null;
  durationMinutes?: number | null;
  ownerId?: string | null;
  subject?: string | null;
  body?: string | null;
}

export interface ActivityListQuery extends PageQuery {
  personId?: string;
  companyId?: string;
  dealId?: string;
  ownerId?: string;
  kind?: ActivityKind;
  /** ISO 8601 date or date-time, inclusive bounds on `occurredAt`. */
  from?: string;
  to?: string;
}

export interface ActivityView {
  id: string;
  kind: ActivityKind;
  occurredAt: string;
  direction: ActivityDirection | null;
  outcome: string | null;
  durationMinutes: number | null;
  ownerId: string | null;
  personId: string | null;
  companyId: string | null;
  dealId: string | null;
  subject: string | null;
  body: string | null;
  /** Who logged it and when (recorded time). */
  loggedBy: string;
  loggedAt: string;
  version: number;
}

export interface CreateTaskRequest {
  id?: string;
  title: string;
  /** ISO 8601 date-time. */
  dueAt: string;
  /** Default: the calling rep. */
  assigneeId?: string | null;
  priority?: TaskPriority;
  personId?: string | null;
  companyId?: string | null;
  dealId?: string | null;
  notes?: string | null;
  /** Default true: the assignee gets a reminder email at `dueAt`. */
  reminder?: boolean;
}

export interface ChangeTaskRequest {
  title?: string;
  priority?: TaskPriority;
  notes?: string | null;
  reminder?: boolean;
}

export interface CompleteTaskRequest {
  outcome?: string | null;
}

export interface RescheduleTaskRequest {
  dueAt: string;
}

export interface AssignTaskRequest {
  assigneeId: string;
}

export type TaskStatus = 'open' | 'done';

export interface TaskListQuery extends PageQuery {
  assigneeId?: string;
  status?: TaskStatus;
  /** ISO 8601 date or date-time, inclusive bounds on `dueAt`. */
  dueFrom?: string;
  dueTo?: string;
  personId?: string;
  companyId?: string;
  dealId?: string;
}

export interface TaskView {
  id: string;
  title: string;
  dueAt: string;
  assigneeId: string | null;
  priority: TaskPriority;
  status: TaskStatus;
  personId: string | null;
  companyId: string | null;
  dealId: string | null;
  notes: string | null;
  reminder: boolean;
  source: TaskSource;
  createdAt: string;
  completedAt: string | null;
  outcome: string | null;
  version: number;
}

export type TimelineItemKind = 'activity' | 'task' | 'change';

/** One entry of a person's, company's or deal's timeline, newest first. */
export interface TimelineItem {
  at: string;
  kind: TimelineItemKind;
  /**
   * Activity: its kind (call, email, ...); task: TaskCreated or TaskCompleted (its state now);
   * change: the event type. A task's `at` is its completion, else its creation.
   */
  type: string;
  summary: string;
  /** The activity's, task's or event's id. */
  id: string;
  actorId: string | null;
}

export interface EngagementView {
  /** Latest business time of a call, email or meeting; notes are not contact. */
  lastContactedAt: string | null;
  lastActivityId: string | null;
  /** Earliest due date of an open task. */
  nextStepAt: string | null;
  nextTaskId: string | null;
}

export interface FollowUpsQuery {
  /** Default: the calling rep. */
  ownerId?: string;
  /** YYYY-MM-DD in `timezone`; default today there. */
  date?: string;
  /** IANA name; default UTC. */
  timezone?: string;
  /** 1..365, default 14. */
  staleDays?: number;
}

export interface StaleRecordView {
  type: 'person' | 'company' | 'deal';
  id: string;
  name: string;
  ownerId: string | null;
  /** Last activity's business time, or null when there never was one. */
  lastActivityAt: string | null;
  createdAt: string;
}

export interface FollowUpsView {
  ownerId: string;
  date: string;
  timezone: string;
  /** The day's bounds in UTC: [dayStart, dayEnd). */
  dayStart: string;
  dayEnd: string;
  staleDays: number;
  overdueTasks: TaskView[];
  dueTodayTasks: TaskView[];
  staleDeals: StaleRecordView[];
  staleContacts: StaleRecordView[];
}
