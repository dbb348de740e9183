/** The engine's refusals as HTTP errors, in one table. */
import { BadRequestException, ConflictException, ForbiddenException, NotFoundException } from '@nestjs/common';
import type { ActionRefusal } from '@signoff/workflow';

export type TicketRefusal = ActionRefusal | 'ticket_not_found';

const REFUSALS: Record<TicketRefusal, () => Error> = {
  ticket_not_found: () => new NotFoundException('No such ticket.'),
  step_not_found: () => new NotFoundException('stepId: no such step on this ticket.'),
  not_approver: () => new ForbiddenException('You are not an approver of this step.'),
  not_requester: () => new ForbiddenException('Only the requester may do this.'),
  step_not_active: () => new ConflictException('This step is not waiting for a decision (it may have just been decided).'),
  task_not_active: () => new ConflictException('It is not your turn on this step, or your task here is already closed.'),
  ticket_closed: () => new ConflictException('This ticket is already finished.'),
  ticket_returned: () => new ConflictException('This ticket was returned and waits for the requester to resubmit it.'),
  not_returned: () => new ConflictException('Only a returned ticket can be resubmitted.'),
  comment_required: () => new BadRequestException('comment: is required to reject or return.'),
  invalid_target: () => new BadRequestException('That person cannot take this task (yourself, or already on this step).'),
  invalid_return_target: () => new BadRequestException('to: must be "requester" or an earlier stage that was approved.'),
};

export const refusal = (reason: string): Error => (REFUSALS[reason as TicketRefusal] ?? (() => new ConflictException(reason)))();
