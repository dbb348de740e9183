/**
 * Checks a template definition before it is saved, so that a ticket started from it can
 * always be planned. Each problem names where it is: `stages[2].condition: unknown field "amout"`.
 */
import { APPROVER_RULE_KINDS, ROLES } from '@signoff/contracts';
import { APPROVAL_MODES, type WorkflowApproverRule, type WorkflowTemplate } from './approval-types';
import { checkConditionFields, constantValue, describeConditionError, parseCondition } from './conditions';

export interface TemplateProblem {
  path: string;
  message: string;
}

export const describeProblem = (p: TemplateProblem) => `${p.path}: ${p.message}`;

/** How many different people a rule can resolve to; `Infinity` when only the directory knows. */
export function maxApprovers(rule: WorkflowApproverRule): number {
  switch (rule.kind) {
    case 'user':
    case 'manager':
      return 1;
    case 'users':
      return new Set(rule.emails).size;
    case 'managerChain':
      return rule.levels;
    case 'requesterPick':
      return rule.max ?? Infinity;
    case 'role':
      return Infinity;
  }
}

function ruleProblems(rule: unknown, path: string): TemplateProblem[] {
  const r = rule as Partial<Record<string, unknown>> | null;
  if (!r || typeof r !== 'object') return [{ path, message: 'must be an approver rule' }];
  switch (r.kind) {
    case 'user':
      return typeof r.email === 'string' && r.email.includes('@') ? [] : [{ path: `${path}.email`, message: 'must be an email address' }];
    case 'users':
      if (!Array.isArray(r.emails) || r.emails.length === 0)
        return [{ path: `${path}.emails`, message: 'needs at least one email address' }];
      return r.emails.flatMap((e, i) =>
        typeof e === 'string' && e.includes('@') ? [] : [{ path: `${path}.emails[${i}]`, message: 'must be an email address' }],
      );
    case 'role':
      return (ROLES as readonly unknown[]).includes(r.role)
        ? []
        : [{ path: `${path}.role`, message: `must be one of ${ROLES.join(', ')}` }];
    case 'manager':
    case 'requesterPick':
      return [];
    case 'managerChain':
      return Number.isInteger(r.levels) && (r.levels as number) >= 1
        ? []
        : [{ path: `${path}.levels`, message: 'must be a whole number, at least 1' }];
    default:
      return [{ path: `${path}.kind`, message: `must be one of ${APPROVER_RULE_KINDS.join(', ')}` }];
  }
}

export function validateTemplate(template: WorkflowTemplate): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  const fieldKeys = new Set<string>();
  template.fields.forEach((f, i) => {
    if (fieldKeys.has(f.key)) add(`fields[${i}].key`, `duplicate key "${f.key}"`);
    fieldKeys.add(f.key);
  });

  const rules = template.rules ?? {};
  if (rules.requesterIsApprover !== undefined && !['auto_approve', 'skip'].includes(rules.requesterIsApprover)) {
    add('rules.requesterIsApprover', 'must be auto_approve or skip');
  }
  if (template.fallback !== undefined) problems.push(...ruleProblems(template.fallback, 'fallback'));

  if (template.stages.length === 0) {
    add('stages', 'needs at least one stage');
    return problems;
  }

  const stageKeys = new Set<string>();
  let runnable = 0;
  template.stages.forEach((stage, i) => {
    const at = `stages[${i}]`;
    if (!stage.key?.trim()) add(`${at}.key`, 'is required');
    else if (stageKeys.has(stage.key)) add(`${at}.key`, `duplicate key "${stage.key}"`);
    stageKeys.add(stage.key);

    if (!APPROVAL_MODES.includes(stage.mode)) add(`${at}.mode`, `must be one of ${APPROVAL_MODES.join(', ')}`);
    if (stage.mode === 'quorum') {
      const n = stage.quorum;
      if (n === undefined || !Number.isInteger(n) || n < 1) add(`${at}.quorum`, 'must be a whole number of approvals, at least 1');
      else if (stage.approver && n > maxApprovers(stage.approver)) {
        add(`${at}.quorum`, `needs ${n} approvals but the approver rule gives at most ${maxApprovers(stage.approver)}`);
      }
    } else if (stage.quorum !== undefined) {
      add(`${at}.quorum`, 'is only for mode "quorum"');
    }

    if (stage.approver !== undefined) problems.push(...ruleProblems(stage.approver, `${at}.approver`));
    if (stage.fallback !== undefined) problems.push(...ruleProblems(stage.fallback, `${at}.fallback`));
    if (stage.approver === undefined && stage.fallback === undefined && template.fallback === undefined) {
      add(`${at}.approver`, 'is required (or give the stage or the template a fallback)');
    }

    let alwaysFalse = false;
    if (stage.condition !== undefined) {
      const parsed = parseCondition(stage.condition);
      if (!parsed.ok) {
        add(`${at}.condition`, describeConditionError(parsed.error));
      } else {
        const fieldErrors = checkConditionFields(parsed.ast, template.fields);
        for (const e of fieldErrors) add(`${at}.condition`, describeConditionError(e));
        if (fieldErrors.length === 0 && constantValue(parsed.ast) === false) {
          alwaysFalse = true;
          add(`${at}.condition`, 'is always false, so this stage can never run');
        }
      }
    }
    if (!alwaysFalse) runnable++;
  });
  if (runnable === 0) add('stages', 'no stage can ever run');
  return problems;
}
