import { describe, expect, it } from 'vitest';
import type { FieldDef } from '@signoff/contracts';
import type { WorkflowStageDef, WorkflowTemplate } from './approval-types';
import { describeProblem, validateTemplate } from './template-validation';

const label = { en: 'x', zh: 'x' };
const fields: FieldDef[] = [
  { key: 'amount', label, type: 'number', required: true },
  { key: 'department', label, type: 'choice', required: true, options: [{ value: 'IT', label }] },
];
const stage = (key: string, extra: Partial<WorkflowStageDef> = {}): WorkflowStageDef => ({
  key,
  name: label,
  mode: 'single',
  approver: { kind: 'manager' },
  ...extra,
});
const problems = (template: Partial<WorkflowTemplate>) =>
  validateTemplate({ fields, stages: [stage('a')], ...template }).map(describeProblem);

describe('validateTemplate', () => {
  it('accepts a template with branches, modes and a quorum', () => {
    expect(
      problems({
        stages: [
          stage('manager'),
          stage('finance', { condition: 'amount > 5000', mode: 'quorum', quorum: 2, approver: { kind: 'role', role: 'approver' } }),
          stage('it', { condition: 'department == "IT"', mode: 'all', approver: { kind: 'users', emails: ['a@x.io', 'b@x.io'] } }),
        ],
      }),
    ).toEqual([]);
  });

  it('names the stage and field of a condition mistake', () => {
    expect(problems({ stages: [stage('a'), stage('b'), stage('c', { condition: 'amout > 5' })] })).toEqual([
      'stages[2].condition: unknown field "amout" at position 0',
    ]);
    expect(problems({ stages: [stage('a', { condition: 'amount >' })] })).toEqual([
      'stages[0].condition: expected a value (a field, a number, a "string", true, false or null), found the end at position 8',
    ]);
  });

  it('refuses duplicate stage keys and unknown modes', () => {
    expect(problems({ stages: [stage('a'), stage('a', { mode: 'most' as never })] })).toEqual([
      'stages[1].key: duplicate key "a"',
      'stages[1].mode: must be one of single, all, any, sequential, quorum',
    ]);
  });

  it('refuses a quorum that the approver rule can never reach, or that is not a count', () => {
    expect(
      problems({
        stages: [
          stage('a', { mode: 'quorum', quorum: 3, approver: { kind: 'users', emails: ['a@x.io', 'b@x.io'] } }),
          stage('b', { mode: 'quorum', quorum: 0 }),
          stage('c', { quorum: 2 }),
        ],
      }),
    ).toEqual([
      'stages[0].quorum: needs 3 approvals but the approver rule gives at most 2',
      'stages[1].quorum: must be a whole number of approvals, at least 1',
      'stages[2].quorum: is only for mode "quorum"',
    ]);
  });

  it('detects a stage whose condition is always false, and a template where none can run', () => {
    expect(problems({ stages: [stage('a', { condition: '1 > 2' })] })).toEqual([
      'stages[0].condition: is always false, so this stage can never run',
      'stages: no stage can ever run',
    ]);
  });

  it('needs an approver rule or a fallback for every stage', () => {
    expect(problems({ stages: [stage('a', { approver: undefined })] })).toEqual([
      'stages[0].approver: is required (or give the stage or the template a fallback)',
    ]);
    expect(problems({ stages: [stage('a', { approver: undefined })], fallback: { kind: 'role', role: 'admin' } })).toEqual([]);
    expect(problems({ stages: [stage('a', { approver: { kind: 'role', role: 'boss' as never } })] })).toEqual([
      'stages[0].approver.role: must be one of requester, approver, admin',
    ]);
  });

  it('needs at least one stage', () => {
    expect(problems({ stages: [] })).toEqual(['stages: needs at least one stage']);
  });
});
