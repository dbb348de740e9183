import type { LocalizedText, Role } from './status';

export const FIELD_TYPES = ['text', 'number', 'date', 'choice'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface ChoiceOption {
  value: string;
  label: LocalizedText;
}

export interface FieldDef {
  key: string;
  label: LocalizedText;
  type: FieldType;
  required: boolean;
  /** text: maximum length */
  maxLength?: number;
  /** number: inclusive bounds */
  min?: number;
  max?: number;
  /** choice: the allowed values */
  options?: ChoiceOption[];
}

/** Who decides a stage. */
export type ApproverRule =
  | { kind: 'user'; email: string }
  | { kind: 'users'; emails: string[] }
  | { kind: 'role'; role: Role }
  /** The requester's manager. */
  | { kind: 'manager' }
  /** The requester's manager, their manager, … up to `levels` people. */
  | { kind: 'managerChain'; levels: number }
  /** Chosen by the requester when submitting (`approvers[stageKey]`). */
  | { kind: 'requesterPick'; max?: number };
export const APPROVER_RULE_KINDS = ['user', 'users', 'role', 'manager', 'managerChain', 'requesterPick'] as const;

/**
 * How the approvers of a stage combine: `single` (one decides, either way), `all` (会签:
 * everyone agrees, one rejection rejects), `any` (或签: the first agreement wins and closes
 * the others), `sequential` (依次: one after another), `quorum` (N of M).
 */
export const STAGE_MODES = ['single', 'all', 'any', 'sequential', 'quorum'] as const;
export type StageMode = (typeof STAGE_MODES)[number];

export interface StageDef {
  key: string;
  name: LocalizedText;
  mode: StageMode;
  approver: ApproverRule;
  /** quorum mode: approvals needed. */
  quorum?: number;
  /** The stage runs only when this expression holds for the ticket's fields, e.g. `amount > 5000`. */
  condition?: string;
  /** Used when `approver` resolves nobody. */
  fallback?: ApproverRule;
  /** Escalate to the assignee's manager when undecided for this long (the timer restarts at each level). */
  deadlineHours?: number;
}

export interface TemplateRules {
  /** The requester resolved as an approver: their task is approved, or they are left out. Default `skip`. */
  requesterIsApprover?: 'auto_approve' | 'skip';
  /** Reject and return need a comment. Default true. */
  rejectCommentRequired?: boolean;
  /** The same approver in consecutive stages decides once. Default true. */
  dedupeConsecutive?: boolean;
}

export interface TemplateDef {
  key: string;
  name: LocalizedText;
  description: LocalizedText;
  fields: FieldDef[];
  stages: StageDef[];
  rules?: TemplateRules;
  /** For any stage whose approver (and own fallback) resolves nobody; after it, the admins. */
  fallback?: ApproverRule;
  /** Users (emails) copied (抄送) on the ticket when it starts and when it finishes. */
  cc?: { atStart?: string[]; atFinish?: string[] };
}

export interface TemplateDto extends TemplateDef {
  id: string;
  version: number;
}
