import { describe, expect, it } from 'vitest';
import type { FieldDef } from '@signoff/contracts';
import type { TemplateRules, WorkflowStageDef, WorkflowTemplate } from './approval-types';
import { planFlow, stagesThatApply, type StageResolution } from './flow-planning';
import { decideTask } from './task-decisions';

const at = '2026-11-22T10:32:00.000Z';
const label = { en: 'x', zh: 'x' };
const fields: FieldDef[] = [
  { key: 'amount', label, type: 'number', required: true },
  { key: 'department', label, type: 'text', required: true },
];
const stage = (key: string, extra: Partial<WorkflowStageDef> = {}): WorkflowStageDef => ({ key, name: label, mode: 'single', ...extra });
const template = (stages: WorkflowStageDef[], rules: TemplateRules = {}): WorkflowTemplate => ({ fields, stages, rules });
const resolved = (entries: Record<string, string[] | Omit<StageResolution, 'stepId'>>) =>
  Object.fromEntries(
    Object.entries(entries).map(([key, r]) => [key, Array.isArray(r) ? { stepId: key, approverIds: r } : { stepId: key, ...r }]),
  );
const plan = (t: WorkflowTemplate, f: Record<string, string | number>, r: ReturnType<typeof resolved>, requesterId = 'req') => {
  const result = planFlow(t, f, r, { requesterId, adminIds: ['admin'], at });
  if (!result.ok) throw new Error(result.error);
  return result.value;
};

describe('planFlow', () => {
  const expense = template([
    stage('manager'),
    stage('finance', { condition: 'amount > 5000' }),
    stage('it', { condition: 'department == "IT"' }),
  ]);

  it('skips the branches whose condition is false and notes why', () => {
    const t = plan(expense, { amount: 6000, department: 'HR' }, resolved({ manager: ['m'], finance: ['f'], it: ['i'] }));
    expect(t.flow.steps.map((s) => [s.key, s.status])).toEqual([
      ['manager', 'active'],
      ['finance', 'waiting'],
      ['it', 'skipped'],
    ]);
    expect(t.flow.steps[2].skipReason).toBe('condition');
    expect(t.notes).toEqual([{ rule: 'condition_skipped', stageKey: 'it', condition: 'department == "IT"' }]);
    expect(t.eventType).toBe('ticket.submitted');
    expect(t.inboxChangedFor).toEqual(['m']);
  });

  it('says which stages need approvers resolved', () => {
    expect(stagesThatApply(expense, { amount: 10, department: 'IT' })).toEqual(['manager', 'it']);
  });

  it('falls back to the stage fallback, then the template fallback, then the admins', () => {
    const t = plan(
      template([stage('a'), stage('b'), stage('c')]),
      {},
      resolved({
        a: { approverIds: [], stageFallbackIds: ['fa'] },
        b: { approverIds: [], stageFallbackIds: [], templateFallbackIds: ['ft'] },
        c: { approverIds: [] },
      }),
    );
    expect(t.flow.steps.map((s) => s.approverIds)).toEqual([['fa'], ['ft'], ['admin']]);
    expect(t.notes.map((n) => n.rule === 'fallback_used' && n.source)).toEqual(['stage', 'template', 'admins']);
  });

  it('refuses to start a ticket nobody could act on', () => {
    const result = planFlow(template([stage('a')]), {}, resolved({ a: [] }), { requesterId: 'req', adminIds: [], at });
    expect(result).toEqual({ ok: false, error: 'stage "a": nobody can approve (no approver, no fallback, no admin)' });
  });

  it('leaves the requester out of a stage, and skips a stage they alone would approve, by default', () => {
    const t = plan(template([stage('a'), stage('b', { mode: 'all' })]), {}, resolved({ a: ['req'], b: ['req', 'x'] }));
    expect(t.flow.steps.map((s) => [s.status, s.approverIds])).toEqual([
      ['skipped', []],
      ['active', ['x']],
    ]);
    expect(t.notes).toEqual([
      { rule: 'requester_skipped', stageKey: 'a', userId: 'req', stageSkipped: true },
      { rule: 'requester_skipped', stageKey: 'b', userId: 'req', stageSkipped: false },
    ]);
  });

  it('approves the requester’s own task when the template says auto_approve', () => {
    const t = plan(
      template([stage('a', { mode: 'all' }), stage('b')], { requesterIsApprover: 'auto_approve' }),
      {},
      resolved({ a: ['req', 'x'], b: ['y'] }),
    );
    expect(t.flow.steps[0].tasks.map((task) => [task.assigneeId, task.status, task.auto])).toEqual([
      ['req', 'approved', 'requester'],
      ['x', 'active', undefined],
    ]);
    expect(t.notes).toEqual([{ rule: 'requester_auto_approved', stageKey: 'a', userId: 'req' }]);
  });

  it('the same approver in consecutive stages decides once', () => {
    const started = plan(
      template([stage('a'), stage('b', { mode: 'all' }), stage('c')]),
      {},
      resolved({ a: ['m'], b: ['m', 'f'], c: ['f'] }),
    );
    const t = decideTask(started.flow, { stepId: 'a', actorId: 'm', decision: 'approve', comment: null, at });
    if (!t.ok) throw new Error(t.refusal);
    expect(t.value.flow.steps[1].tasks.map((task) => [task.assigneeId, task.status, task.auto])).toEqual([
      ['m', 'approved', 'dedupe'],
      ['f', 'active', undefined],
    ]);
    expect(t.value.notes).toEqual([{ rule: 'dedupe_auto_approved', stageKey: 'b', userId: 'm' }]);
    expect(t.value.inboxChangedFor.sort()).toEqual(['f', 'm']);
    const u = decideTask(t.value.flow, { stepId: 'b', actorId: 'f', decision: 'approve', comment: null, at });
    if (!u.ok) throw new Error(u.refusal);
    expect(u.value.flow.status).toBe('approved');
    expect(u.value.flow.steps[2]).toMatchObject({ status: 'approved', decidedById: 'f' });
  });

  it('does not count someone who did not approve the previous stage', () => {
    const started = plan(template([stage('a', { mode: 'any' }), stage('b')]), {}, resolved({ a: ['m', 'n'], b: ['m'] }));
    const t = decideTask(started.flow, { stepId: 'a', actorId: 'n', decision: 'approve', comment: null, at });
    expect(t.ok && t.value.flow.steps[1].tasks[0].status).toBe('active');
  });

  it('lowers a quorum larger than the resolved approvers', () => {
    const t = plan(template([stage('a', { mode: 'quorum', quorum: 3 })]), {}, resolved({ a: ['x', 'y'] }));
    expect(t.flow.steps[0].quorum).toBe(2);
    expect(t.notes).toEqual([{ rule: 'quorum_clamped', stageKey: 'a', from: 3, to: 2 }]);
  });

  it('approves at once when no stage applies, and says so', () => {
    const t = plan(template([stage('a', { condition: 'amount > 5' })]), { amount: 1 }, {});
    expect(t.flow.status).toBe('approved');
    expect(t.notes.at(-1)).toEqual({ rule: 'no_stage_applies' });
  });
});
