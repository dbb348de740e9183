/** TypeORM mappings of the tables in prisma-free-migrations/. Only repositories use them. */
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type {
  Decision,
  FieldDef,
  FieldValues,
  LocalizedText,
  Role,
  StageMode,
  StepStatus,
  TaskStatus,
  TemplateDef,
  TicketStatus,
} from '@signoff/contracts';
import type { AutoDecision, SkipReason } from '@signoff/workflow';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) email!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) role!: Role;
  @Column({ type: 'uuid', name: 'manager_id', nullable: true }) managerId!: string | null;
  @Column({ type: 'text', name: 'password_hash', nullable: true, select: false }) passwordHash!: string | null;
  @Column({ type: 'boolean' }) active!: boolean;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

@Entity('sessions')
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', name: 'token_hash' }) tokenHash!: string;
  @Column({ type: 'uuid', name: 'user_id' }) userId!: string;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'expires_at' }) expiresAt!: Date;
}

@Entity('templates')
export class TemplateEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) key!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'jsonb' }) definition!: TemplateDef;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt!: Date;
}

@Entity('tickets')
export class TicketEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'template_id' }) templateId!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'jsonb' }) fields!: FieldValues;
  @Column({ type: 'uuid', name: 'requester_id' }) requesterId!: string;
  @Column({ type: 'text' }) status!: TicketStatus;
  @Column({ type: 'integer' }) seq!: number;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

@Entity('ticket_steps')
export class TicketStepEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'uuid', name: 'ticket_id' }) ticketId!: string;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'text' }) key!: string;
  @Column({ type: 'jsonb' }) name!: LocalizedText;
  @Column({ type: 'text' }) mode!: StageMode;
  @Column({ type: 'text' }) status!: StepStatus;
  @Column({ type: 'integer', nullable: true }) quorum!: number | null;
  @Column({ type: 'integer' }) round!: number;
  @Column({ type: 'text', name: 'skip_reason', nullable: true }) skipReason!: SkipReason | null;
  @Column({ type: 'uuid', name: 'decided_by', nullable: true }) decidedById!: string | null;
  @Column({ type: 'text', nullable: true }) decision!: Decision | null;
  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
}

@Entity('ticket_tasks')
export class TicketTaskEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'uuid', name: 'ticket_id' }) ticketId!: string;
  @Column({ type: 'uuid', name: 'step_id' }) stepId!: string;
  @Column({ type: 'uuid', name: 'assignee_id' }) assigneeId!: string;
  @Column({ type: 'uuid', name: 'on_behalf_of', nullable: true }) onBehalfOf!: string | null;
  @Column({ type: 'uuid', name: 'added_by', nullable: true }) addedBy!: string | null;
  @Column({ type: 'text' }) status!: TaskStatus;
  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @Column({ type: 'integer' }) ord!: number;
  @Column({ type: 'integer' }) slot!: number;
  @Column({ type: 'text', nullable: true }) auto!: AutoDecision | null;
}

@Entity('delegations')
export class DelegationEntity {
  @PrimaryColumn({ type: 'uuid', name: 'user_id' }) userId!: string;
  @Column({ type: 'uuid', name: 'delegate_id' }) delegateId!: string;
  @Column({ type: 'date', name: 'starts_on' }) startsOn!: string;
  @Column({ type: 'date', name: 'ends_on' }) endsOn!: string;
}

@Entity('ticket_cc')
export class TicketCcEntity {
  @PrimaryColumn({ type: 'uuid', name: 'ticket_id' }) ticketId!: string;
  @PrimaryColumn({ type: 'uuid', name: 'user_id' }) userId!: string;
  @PrimaryColumn({ type: 'text', name: 'at_stage' }) atStage!: 'start' | 'finish';
}

@Entity('timers')
export class TimerEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'text' }) kind!: string;
  @Column({ type: 'uuid', name: 'ticket_id' }) ticketId!: string;
  @Column({ type: 'uuid', name: 'step_id', nullable: true }) stepId!: string | null;
  @Column({ type: 'text', name: 'task_id', nullable: true }) taskId!: string | null;
  @Column({ type: 'timestamptz', name: 'due_at' }) dueAt!: Date;
  @Column({ type: 'timestamptz', name: 'fired_at', nullable: true }) firedAt!: Date | null;
  @Column({ type: 'timestamptz', name: 'cancelled_at', nullable: true }) cancelledAt!: Date | null;
  @Column({ type: 'jsonb' }) payload!: Record<string, unknown>;
}

@Entity('decisions')
export class DecisionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'ticket_id' }) ticketId!: string;
  @Column({ type: 'uuid', name: 'step_id' }) stepId!: string;
  @Column({ type: 'text', name: 'task_id', nullable: true }) taskId!: string | null;
  @Column({ type: 'uuid', name: 'actor_id' }) actorId!: string;
  @Column({ type: 'text' }) decision!: Decision;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

@Entity('ticket_events')
export class TicketEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'uuid', name: 'ticket_id' }) ticketId!: string;
  @Column({ type: 'integer' }) seq!: number;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'uuid', name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @Column({ type: 'jsonb' }) payload!: unknown;
}

export type { FieldDef };
export const ENTITIES = [
  UserEntity,
  SessionEntity,
  TemplateEntity,
  TicketEntity,
  TicketStepEntity,
  TicketTaskEntity,
  DecisionEntity,
  TicketEventEntity,
  DelegationEntity,
  TicketCcEntity,
  TimerEntity,
];
