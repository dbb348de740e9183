/** TypeORM mappings of the tables in prisma-free-migrations/. Only repositories use them. */
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Decision, FieldDef, FieldValues, LocalizedText, Role, StepStatus, TemplateDef, TicketStatus } from '@signoff/contracts';

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
  @Column({ type: 'text' }) mode!: 'single';
  @Column({ type: 'text' }) status!: StepStatus;
  @Column({ type: 'uuid', name: 'approver_ids', array: true }) approverIds!: string[];
  @Column({ type: 'uuid', name: 'decided_by', nullable: true }) decidedById!: string | null;
  @Column({ type: 'text', nullable: true }) decision!: Decision | null;
  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
}

@Entity('decisions')
export class DecisionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'ticket_id' }) ticketId!: string;
  @Column({ type: 'uuid', name: 'step_id' }) stepId!: string;
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
export const ENTITIES = [UserEntity, SessionEntity, TemplateEntity, TicketEntity, TicketStepEntity, DecisionEntity, TicketEventEntity];
