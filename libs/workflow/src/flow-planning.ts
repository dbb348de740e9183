/**
 * Turns a template, a ticket's fields and the approvers the caller resolved into the
 * ticket's first flow. Rules applied here, each reported as an `EngineNote`:
 *
 * - a stage whose condition is false is skipped (the branch not taken);
 * - nobody resolved → the stage's fallback, then the template's, then the admins;
 * - the requester among a stage's approvers → their task approved, or they are left out
 *   (and a stage left with nobody is skipped), as the template says;
 * - a quorum larger than the stage's approvers is lowered to all of them;
 * - the same approver in consecutive stages decides once (applied when a stage starts,
 *   see `flow-progress.ts`, because it depends on who actually approved before).
 */
import type { FieldValues } from '@signoff/contracts';
import type { ApprovalFlow, ApprovalStep, ApprovalTransition, EngineNote, WorkflowStageDef, WorkflowTemplate } from './approval-types';
import { describeConditionError, evaluate, parseCondition } from './conditions';
import { settleFlow, transitionBetween } from './flow-progress';
import { currentAssignees, tasksForApprovers } from './stage-modes';
import type { TaskState } from './types';

/** What the caller resolved for one stage (resolution needs the directory, so it is I/O). */
export interface StageResolution {
  /** Id for the step (the caller makes ids). */
  stepId: string;
  approverIds: string[];
  /** The stage's own `fallback` rule, resolved. */
  stageFallbackIds?: string[];
  /** The template's `fallback` rule, resolved. */
  templateFallbackIds?: string[];
}

export interface PlanOptions {
  requesterId: string;
  /** Active admins: the last resort when nobody else can approve a stage. */
  adminIds: string[];
  at: string;
}

export type PlanResult = { ok: true; value: ApprovalTransition } | { ok: false; error: string };

function conditionHolds(stage: WorkflowStageDef, index: number, fields: FieldValues): boolean {
  if (stage.condition === undefined) return true;
  const parsed = parseCondition(stage.condition);
  if (!parsed.ok) throw new Error(`stages[${index}].condition: ${describeConditionError(parsed.error)}`);
  return evaluate(parsed.ast, fields);
}

/** Keys of the stages whose condition holds for these fields: only those need approvers resolved. */
export function stagesThatApply(template: WorkflowTemplate, fields: FieldValues): string[] {
  return template.stages.filter((s, i) => conditionHolds(s, i, fields)).map((s) => s.key);
}

function pickApprovers(stage: WorkflowStageDef, resolution: StageResolution, adminIds: string[], notes: EngineNote[]): string[] {
  const candidates: Array<[ids: string[] | undefined, source: 'stage' | 'template' | 'admins' | null]> = [
    [resolution.approverIds, null],
    [resolution.stageFallbackIds, 'stage'],
    [resolution.templateFallbackIds, 'template'],
    [adminIds, 'admins'],
  ];
  for (const [ids, source] of candidates) {
    const unique = [...new Set(ids ?? [])];
    if (unique.length === 0) continue;
    if (source) notes.push({ rule: 'fallback_used', stageKey: stage.key, source });
    return unique;
  }
  return [];
}

export function planFlow(
  template: WorkflowTemplate,
  fields: FieldValues,
  resolved: Record<string, StageResolution>,
  options: PlanOptions,
): PlanResult {
  const notes: EngineNote[] = [];
  const rules = template.rules ?? {};
  const steps: ApprovalStep[] = [];
  for (const [position, stage] of template.stages.entries()) {
    const resolution = resolved[stage.key];
    const base = {
      key: stage.key,
      name: stage.name,
      position,
      mode: stage.mode,
      quorum: stage.mode === 'quorum' ? (stage.quorum ?? 1) : null,
      round: 0,
      decidedById: null,
      decision: null,
      decidedAt: null,
      comment: null,
    };
    let holds: boolean;
    try {
      holds = conditionHolds(stage, position, fields);
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
    if (!holds) {
      notes.push({ rule: 'condition_skipped', stageKey: stage.key, condition: stage.condition! });
      const id = resolution?.stepId ?? `${stage.key}`;
      steps.push({ ...base, id, status: 'skipped', approverIds: [], tasks: [], skipReason: 'condition' });
      continue;
    }
    if (!resolution) return { ok: false, error: `stage "${stage.key}": approvers were not resolved` };

    let approverIds = pickApprovers(stage, resolution, options.adminIds, notes);
    if (approverIds.length === 0)
      return { ok: false, error: `stage "${stage.key}": nobody can approve (no approver, no fallback, no admin)` };

    const requesterIsApprover = approverIds.includes(options.requesterId);
    let autoApproveRequester = false;
    if (requesterIsApprover && (rules.requesterIsApprover ?? 'skip') === 'skip') {
      approverIds = approverIds.filter((id) => id !== options.requesterId);
      notes.push({ rule: 'requester_skipped', stageKey: stage.key, userId: options.requesterId, stageSkipped: approverIds.length === 0 });
      if (approverIds.length === 0) {
        steps.push({ ...base, id: resolution.stepId, status: 'skipped', approverIds: [], tasks: [], skipReason: 'requester' });
        continue;
      }
    } else if (requesterIsApprover) {
      autoApproveRequester = true;
      notes.push({ rule: 'requester_auto_approved', stageKey: stage.key, userId: options.requesterId });
    }

    if (base.quorum !== null && base.quorum > approverIds.length) {
      notes.push({ rule: 'quorum_clamped', stageKey: stage.key, from: base.quorum, to: approverIds.length });
      base.quorum = approverIds.length;
    }
    const tasks = tasksForApprovers(resolution.stepId, 0, approverIds).map((t): TaskState =>
      autoApproveRequester && t.assigneeId === options.requesterId
        ? { ...t, status: 'approved', auto: 'requester', decidedAt: options.at }
        : t,
    );
    steps.push({ ...base, id: resolution.stepId, status: 'waiting', approverIds: currentAssignees({ tasks }), tasks, skipReason: null });
  }
  if (steps.every((s) => s.status === 'skipped')) notes.push({ rule: 'no_stage_applies' });

  const planned: ApprovalFlow = {
    status: 'pending',
    requesterId: options.requesterId,
    policy: { rejectCommentRequired: rules.rejectCommentRequired ?? true, dedupeConsecutive: rules.dedupeConsecutive ?? true },
    steps,
  };
  const started = settleFlow(planned, { at: options.at }, notes);
  const transition = transitionBetween(planned, started, 'ticket.submitted', notes);
  return { ok: true, value: { ...transition, changedStepIds: started.steps.map((s) => s.id) } };
}
