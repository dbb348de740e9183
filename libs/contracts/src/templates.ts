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

/** Who decides a stage. Richer rules (manager chain, requester's pick) extend this union. */
export type ApproverRule = { kind: 'user'; email: string } | { kind: 'role'; role: Role } | { kind: 'manager' };

/** How the approvers of a stage combine. Only `single` exists so far: any one resolved approver decides. */
export type StageMode = 'single';

export interface StageDef {
  key: string;
  name: LocalizedText;
  mode: StageMode;
  approver: ApproverRule;
}

export interface TemplateDef {
  key: string;
  name: LocalizedText;
  description: LocalizedText;
  fields: FieldDef[];
  stages: StageDef[];
}

export interface TemplateDto extends TemplateDef {
  id: string;
  version: number;
}
