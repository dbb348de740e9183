/** Rows → public DTOs and engine state. Pure: the repository fetches, this shapes. */
import type { FlowDto, TemplateDto, TicketDto, UserRef } from '@signoff/contracts';
import type { FlowState } from '@signoff/workflow';
import type { TicketEntity, TicketStepEntity, UserEntity } from '../database/entities';
import { toUserRef } from '../users/users.repository';

export function toFlowState(ticket: TicketEntity, steps: TicketStepEntity[]): FlowState {
  return {
    status: ticket.status,
    steps: [...steps]
      .sort((a, b) => a.position - b.position)
      .map((s) => ({
        id: s.id,
        key: s.key,
        name: s.name,
        position: s.position,
        mode: s.mode,
        status: s.status,
        approverIds: s.approverIds,
        decidedById: s.decidedById,
        decision: s.decision,
        decidedAt: s.decidedAt ? new Date(s.decidedAt).toISOString() : null,
        comment: s.comment,
      })),
  };
}

/** Every user a snapshot names: requester, approvers and deciders. */
export function userIdsOf(ticket: Pick<TicketEntity, 'requesterId'>, flow: FlowState): string[] {
  const ids = new Set([ticket.requesterId]);
  for (const step of flow.steps) {
    step.approverIds.forEach((id) => ids.add(id));
    if (step.decidedById) ids.add(step.decidedById);
  }
  return [...ids];
}

const unknownUser = (id: string): UserRef => ({ id, name: 'unknown user', email: '' });

export function toSnapshot(
  ticket: TicketEntity,
  template: Pick<TemplateDto, 'key' | 'version' | 'name' | 'fields'>,
  flow: FlowState,
  users: UserEntity[],
): { ticket: TicketDto; flow: FlowDto } {
  const byId = new Map(users.map((u) => [u.id, toUserRef(u)]));
  const ref = (id: string) => byId.get(id) ?? unknownUser(id);
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
    flow: {
      steps: flow.steps.map((s) => ({
        id: s.id,
        key: s.key,
        name: s.name,
        position: s.position,
        status: s.status,
        approvers: s.approverIds.map(ref),
        decidedBy: s.decidedById ? ref(s.decidedById) : null,
        decision: s.decision,
        decidedAt: s.decidedAt,
        comment: s.comment,
      })),
    },
  };
}
