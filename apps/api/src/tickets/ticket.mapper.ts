/** Rows → engine state and public DTOs. Pure: the repository fetches, this shapes. */
import type { FlowDto, RuleNoteDto, TaskDto, TemplateDto, TicketDetailDto, TicketDto, UserRef } from '@signoff/contracts';
import { hasActiveTask, stageProgress, type ApprovalFlow, type ApprovalStep, type EngineNote, type TaskState } from '@signoff/workflow';
import type { TicketEntity, TicketStepEntity, TicketTaskEntity, UserEntity } from '../database/entities';
import { toUserRef } from '../users/users.repository';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function toTaskState(row: TicketTaskEntity): TaskState {
  return {
    id: row.id,
    assigneeId: row.assigneeId,
    ...(row.onBehalfOf ? { onBehalfOf: row.onBehalfOf } : {}),
    ...(row.addedBy ? { addedBy: row.addedBy } : {}),
    status: row.status,
    decidedAt: iso(row.decidedAt),
    comment: row.comment,
    order: row.ord,
    slot: row.slot,
    ...(row.auto ? { auto: row.auto } : {}),
  };
}

export function toTaskRow(ticketId: string, stepId: string, task: TaskState): TicketTaskEntity {
  return {
    id: task.id,
    ticketId,
    stepId,
    assigneeId: task.assigneeId,
    onBehalfOf: task.onBehalfOf ?? null,
    addedBy: task.addedBy ?? null,
    status: task.status,
    decidedAt: task.decidedAt ? new Date(task.decidedAt) : null,
    comment: task.comment,
    ord: task.order,
    slot: task.slot,
    auto: task.auto ?? null,
  };
}

export function toStepRow(ticketId: string, step: ApprovalStep): Omit<TicketStepEntity, never> {
  return {
    id: step.id,
    ticketId,
    position: step.position,
    key: step.key,
    name: step.name,
    mode: step.mode,
    status: step.status,
    quorum: step.quorum,
    round: step.round,
    skipReason: step.skipReason,
    decidedById: step.decidedById,
    decision: step.decision,
    decidedAt: step.decidedAt ? new Date(step.decidedAt) : null,
    comment: step.comment,
  };
}

export function toApprovalFlow(
  ticket: TicketEntity,
  rules: { rejectCommentRequired?: boolean; dedupeConsecutive?: boolean } | undefined,
  steps: TicketStepEntity[],
  tasks: TicketTaskEntity[],
): ApprovalFlow {
  const byStep = new Map<string, TaskState[]>();
  for (const row of [...tasks].sort((a, b) => a.ord - b.ord)) {
    byStep.set(row.stepId, [...(byStep.get(row.stepId) ?? []), toTaskState(row)]);
  }
  return {
    status: ticket.status,
    requesterId: ticket.requesterId,
    policy: { rejectCommentRequired: rules?.rejectCommentRequired ?? true, dedupeConsecutive: rules?.dedupeConsecutive ?? true },
    steps: [...steps]
      .sort((a, b) => a.position - b.position)
      .map((s): ApprovalStep => {
        // Rows of earlier rounds stay for the audit trail (decisions point at them); the
        // step is made of its current round's tasks only (task ids are `taskId(step, round, n)`).
        const stepTasks = (byStep.get(s.id) ?? []).filter((t) => t.id.startsWith(`${s.id}:${s.round}:`));
        return {
          id: s.id,
          key: s.key,
          name: s.name,
          position: s.position,
          mode: s.mode,
          status: s.status,
          quorum: s.quorum,
          round: s.round,
          skipReason: s.skipReason,
          tasks: stepTasks,
          approverIds: [...new Set(stepTasks.filter((t) => t.status !== 'transferred' && t.status !== 'closed').map((t) => t.assigneeId))],
          decidedById: s.decidedById,
          decision: s.decision,
          decidedAt: iso(s.decidedAt),
          comment: s.comment,
        };
      }),
  };
}

/** Every user a snapshot names: requester, assignees, on-behalf-of, adders, deciders. */
export function userIdsOf(requesterId: string, flow: ApprovalFlow): string[] {
  const ids = new Set([requesterId]);
  for (const step of flow.steps) {
    if (step.decidedById) ids.add(step.decidedById);
    for (const task of step.tasks) {
      ids.add(task.assigneeId);
      if (task.onBehalfOf) ids.add(task.onBehalfOf);
      if (task.addedBy) ids.add(task.addedBy);
    }
  }
  return [...ids];
}

const unknownUser = (id: string): UserRef => ({ id, name: 'unknown user', email: '' });
export type RefOf = (id: string) => UserRef;
export const refsFrom = (users: UserEntity[]): RefOf => {
  const byId = new Map(users.map((u) => [u.id, toUserRef(u)]));
  return (id) => byId.get(id) ?? unknownUser(id);
};

function toTaskDto(task: TaskState, ref: RefOf): TaskDto {
  return {
    id: task.id,
    assignee: ref(task.assigneeId),
    onBehalfOf: task.onBehalfOf ? ref(task.onBehalfOf) : null,
    addedBy: task.addedBy ? ref(task.addedBy) : null,
    status: task.status,
    decidedAt: task.decidedAt,
    comment: task.comment,
    order: task.order,
    auto: task.auto ?? null,
  };
}

export function toFlowDto(flow: ApprovalFlow, ref: RefOf): FlowDto {
  return {
    steps: flow.steps.map((s) => {
      const progress = stageProgress(s);
      return {
        id: s.id,
        key: s.key,
        name: s.name,
        position: s.position,
        status: s.status,
        mode: s.mode,
        quorum: s.quorum,
        round: s.round,
        skipReason: s.skipReason,
        approvers: [...new Set(s.tasks.map((t) => t.assigneeId))].map(ref),
        tasks: s.tasks.map((t) => toTaskDto(t, ref)),
        progress: { approved: progress.approved, rejected: progress.rejected, required: progress.required, total: progress.total },
        decidedBy: s.decidedById ? ref(s.decidedById) : null,
        decision: s.decision,
        decidedAt: s.decidedAt,
        comment: s.comment,
      };
    }),
  };
}

export function toSnapshot(
  ticket: TicketEntity,
  template: Pick<TemplateDto, 'key' | 'version' | 'name' | 'fields'>,
  flow: ApprovalFlow,
  ref: RefOf,
): { ticket: TicketDto; flow: FlowDto } {
  return {
    ticket: {
      id: ticket.id,
      title: ticket.title,
      templateKey: template.key,
      templateVersion: template.version,
      templateName: template.name,
      fieldDefs: template.fields,
      fields: ticket.fields,
      status: flow.status,
      requester: ref(ticket.requesterId),
      createdAt: new Date(ticket.createdAt).toISOString(),
      updatedAt: new Date(ticket.updatedAt).toISOString(),
      seq: ticket.seq,
    },
    flow: toFlowDto(flow, ref),
  };
}

/** Engine notes (ids) → the log's notes (people by name). */
export function toRuleNotes(notes: EngineNote[], ref: RefOf): RuleNoteDto[] {
  return notes.map((n): RuleNoteDto => {
    switch (n.rule) {
      case 'condition_skipped':
        return { rule: n.rule, stageKey: n.stageKey, user: null, detail: n.condition };
      case 'requester_auto_approved':
      case 'dedupe_auto_approved':
        return { rule: n.rule, stageKey: n.stageKey, user: ref(n.userId), detail: null };
      case 'requester_skipped':
        return { rule: n.rule, stageKey: n.stageKey, user: ref(n.userId), detail: n.stageSkipped ? 'stage skipped' : null };
      case 'fallback_used':
        return { rule: n.rule, stageKey: n.stageKey, user: null, detail: n.source };
      case 'quorum_clamped':
        return { rule: n.rule, stageKey: n.stageKey, user: null, detail: `${n.from} → ${n.to}` };
      case 'no_stage_applies':
        return { rule: n.rule, stageKey: null, user: null, detail: null };
    }
  });
}

/** A ticket as one user sees it: the snapshot plus the steps they may act on now. */
export function toDetail(loaded: { flow: ApprovalFlow; snapshot: { ticket: TicketDto; flow: FlowDto } }, userId: string): TicketDetailDto {
  return {
    ...loaded.snapshot,
    seq: loaded.snapshot.ticket.seq,
    actionableStepIds: loaded.flow.steps.filter((s) => hasActiveTask(loaded.flow, s.id, userId)).map((s) => s.id),
  };
}
