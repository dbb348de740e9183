/**
 * Property tests: random templates (modes, approver sets, conditions on random fields,
 * rules) driven by random action sequences, checking what must hold after every step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldDef, FieldValues } from '@signoff/contracts';
import {
  APPROVAL_MODES,
  FINAL_FLOW_STATUSES,
  type ActionResult,
  type ApprovalFlow,
  type ApprovalTransition,
  type WorkflowStageDef,
  type WorkflowTemplate,
} from './approval-types';
import { planFlow, type StageResolution } from './flow-planning';
import { currentAssignees, seats, stageProgress } from './stage-modes';
import { decideTask } from './task-decisions';
import { addSigner, transferTask } from './task-handoffs';
import { validateTemplate } from './template-validation';
import { resubmit, returnTicket, withdraw } from './ticket-returns';

const at = '2026-11-22T10:32:00.000Z';
const REQUESTER = 'req';
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4', REQUESTER];
const label = { en: 'x', zh: 'x' };
const DEPARTMENTS = ['IT', 'HR', 'OPS'];
const FIELDS: FieldDef[] = [
  { key: 'amount', label, type: 'number', required: true },
  { key: 'department', label, type: 'choice', required: true, options: DEPARTMENTS.map((value) => ({ value, label })) },
];

const comparison = fc.oneof(
  fc.tuple(fc.constantFrom('>', '>=', '<', '<=', '==', '!='), fc.integer({ min: 0, max: 10_000 })).map(([op, n]) => `amount ${op} ${n}`),
  fc.tuple(fc.constantFrom('==', '!='), fc.constantFrom(...DEPARTMENTS)).map(([op, d]) => `department ${op} "${d}"`),
  fc.subarray(DEPARTMENTS, { minLength: 1 }).map((ds) => `department in [${ds.map((d) => `"${d}"`).join(', ')}]`),
);
const condition: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.tuple(tie('expr'), fc.constantFrom('and', 'or'), tie('expr')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    tie('expr').map((e) => `not (${e})`),
  ),
})).expr;

const stageSpec = fc.record({
  mode: fc.constantFrom(...APPROVAL_MODES),
  quorum: fc.integer({ min: 1, max: 4 }),
  condition: fc.option(condition, { nil: undefined }),
  approvers: fc.subarray(USERS),
});

const scenario = fc.record({
  stages: fc.array(stageSpec, { minLength: 1, maxLength: 5 }),
  rules: fc.record({
    requesterIsApprover: fc.constantFrom('auto_approve' as const, 'skip' as const),
    rejectCommentRequired: fc.boolean(),
    dedupeConsecutive: fc.boolean(),
  }),
  fields: fc.record({ amount: fc.integer({ min: 0, max: 10_000 }), department: fc.constantFrom(...DEPARTMENTS) }),
  actions: fc.array(
    fc.record({
      kind: fc.constantFrom(
        'approve',
        'approve',
        'approve',
        'reject',
        'return',
        'resubmit',
        'withdraw',
        'transfer',
        'addBefore',
        'addAfter',
      ),
      pick: fc.nat(),
      user: fc.constantFrom(...USERS, 'admin', 'x1', 'x2'),
      comment: fc.constantFrom(null, 'because'),
    }),
    { maxLength: 30 },
  ),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;
type Action = Scenario['actions'][number];

function templateOf(s: Scenario): WorkflowTemplate {
  return {
    fields: FIELDS,
    rules: s.rules,
    stages: s.stages.map((st, i): WorkflowStageDef => ({
      key: `s${i}`,
      name: label,
      mode: st.mode,
      ...(st.mode === 'quorum' ? { quorum: st.quorum } : {}),
      ...(st.condition ? { condition: st.condition } : {}),
      approver: { kind: 'role', role: 'approver' },
    })),
  };
}

function startOf(s: Scenario) {
  const resolved: Record<string, StageResolution> = Object.fromEntries(
    s.stages.map((st, i) => [`s${i}`, { stepId: `s${i}`, approverIds: st.approvers }]),
  );
  const planned = planFlow(templateOf(s), s.fields as FieldValues, resolved, { requesterId: REQUESTER, adminIds: ['admin'], at });
  if (!planned.ok) throw new Error(planned.error);
  return planned.value;
}

/** Turns a random action into a command, mostly aimed at someone who can act. */
function apply(flow: ApprovalFlow, a: Action): ActionResult<ApprovalTransition> {
  const holders = flow.steps.flatMap((s) =>
    s.tasks.filter((t) => t.status === 'active').map((t) => ({ stepId: s.id, actorId: t.assigneeId })),
  );
  const stray = { stepId: flow.steps[a.pick % flow.steps.length].id, actorId: a.user };
  const target = a.pick % (holders.length + 1) < holders.length ? holders[a.pick % (holders.length + 1)] : stray;
  const base = { ...target, comment: a.comment, at };
  switch (a.kind) {
    case 'approve':
    case 'reject':
      return decideTask(flow, { ...base, decision: a.kind });
    case 'return': {
      const earlier = flow.steps.filter((s) => s.status === 'approved');
      const to = a.pick % 2 === 0 || earlier.length === 0 ? 'requester' : { stepId: earlier[a.pick % earlier.length].id };
      return returnTicket(flow, { ...base, to });
    }
    case 'resubmit':
      return resubmit(flow, { actorId: a.pick % 4 === 0 ? a.user : REQUESTER, comment: a.comment, at });
    case 'withdraw':
      return withdraw(flow, { actorId: a.pick % 4 === 0 ? a.user : REQUESTER, comment: a.comment, at });
    case 'transfer':
      return transferTask(flow, { ...base, toUserId: a.user });
    case 'addBefore':
    case 'addAfter':
      return addSigner(flow, { ...base, userId: a.user, position: a.kind === 'addBefore' ? 'before' : 'after' });
  }
}

const OPEN = ['waiting', 'active'];
const FINAL_TASK = ['approved', 'rejected', 'returned', 'transferred', 'closed'];

function checkFlow(flow: ApprovalFlow) {
  const active = flow.steps.filter((s) => s.status === 'active');
  if (flow.status === 'pending') {
    // Never stuck: exactly one active step, with at least one active task someone holds.
    expect(active).toHaveLength(1);
    expect(active[0].tasks.some((t) => t.status === 'active' && t.assigneeId)).toBe(true);
  } else {
    expect(active).toHaveLength(0);
    expect(flow.steps.flatMap((s) => s.tasks).filter((t) => t.status === 'active')).toEqual([]);
  }
  if (flow.status === 'returned') expect(flow.requesterId).toBe(REQUESTER);
  if (FINAL_FLOW_STATUSES.includes(flow.status)) {
    expect(flow.steps.flatMap((s) => s.tasks).filter((t) => OPEN.includes(t.status))).toEqual([]);
  }
  for (const step of flow.steps) {
    expect(step.approverIds).toEqual(currentAssignees(step));
    expect(new Set(step.tasks.map((t) => t.id)).size).toBe(step.tasks.length);
    // Two open tasks of one step never belong to the same person.
    const open = step.tasks.filter((t) => OPEN.includes(t.status)).map((t) => t.assigneeId);
    expect(new Set(open).size).toBe(open.length);
    if (step.status === 'approved' || step.status === 'rejected') expect(step.tasks.filter((t) => OPEN.includes(t.status))).toEqual([]);
    if (step.mode === 'quorum' || step.mode === 'all' || step.mode === 'any') {
      const p = stageProgress(step);
      if (step.status === 'active') {
        expect(p.approved).toBeLessThan(p.required);
        expect(p.total - p.rejected).toBeGreaterThanOrEqual(p.required);
      }
      if (step.status === 'approved') expect(p.approved).toBeGreaterThanOrEqual(p.required);
      if (step.status === 'approved' && !step.tasks.some((t) => t.auto)) expect(p.approved).toBe(p.required);
      if (step.status === 'rejected') expect(p.total - p.rejected).toBeLessThan(p.required);
    }
  }
}

describe('engine properties', () => {
  it('a generated template is valid', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        expect(validateTemplate(templateOf(s))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('random action sequences keep every invariant', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        let flow = startOf(s).flow;
        checkFlow(flow);
        const decided = new Map<string, string>();
        for (const action of s.actions) {
          const before = structuredClone(flow);
          const result = apply(flow, action);
          // Transitions never mutate their input.
          expect(flow).toEqual(before);
          if (FINAL_FLOW_STATUSES.includes(flow.status)) expect(result.ok).toBe(false);
          if (!result.ok) continue;
          const next = result.value.flow;
          // Only the steps named as changed differ.
          next.steps.forEach((step, i) => {
            if (!result.value.changedStepIds.includes(step.id)) expect(step).toEqual(flow.steps[i]);
          });
          // No task is decided twice, and a finished task never reopens.
          for (const task of next.steps.flatMap((st) => st.tasks)) {
            const seen = decided.get(task.id);
            if (seen) expect(`${task.status}@${task.decidedAt}`).toBe(seen);
            if (FINAL_TASK.includes(task.status)) decided.set(task.id, `${task.status}@${task.decidedAt}`);
          }
          // An any-stage approved by a person closes its siblings: exactly one seat approved
          // (a seat may hold several approvals when a signer was added after its holder).
          if (action.kind === 'approve') {
            for (const step of next.steps) {
              const prev = flow.steps.find((p) => p.id === step.id)!;
              if (step.mode === 'any' && prev.status === 'active' && step.status === 'approved' && !step.tasks.some((t) => t.auto)) {
                expect(seats(step).filter((seat) => seat.every((t) => t.status === 'approved'))).toHaveLength(1);
                expect(
                  step.tasks
                    .filter((t) => t.status !== 'approved' && t.status !== 'rejected' && t.status !== 'transferred')
                    .every((t) => t.status === 'closed'),
                ).toBe(true);
              }
            }
          }
          checkFlow(next);
          flow = next;
        }
        // A returned ticket can always be resubmitted; a pending one always has someone to act.
        if (flow.status === 'returned') expect(resubmit(flow, { actorId: REQUESTER, comment: null, at }).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('approving every active task in turn always finishes the ticket', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        let flow = startOf(s).flow;
        for (let i = 0; i < 200 && flow.status === 'pending'; i++) {
          const step = flow.steps.find((st) => st.status === 'active')!;
          const task = step.tasks.find((t) => t.status === 'active')!;
          const result = decideTask(flow, { stepId: step.id, actorId: task.assigneeId, decision: 'approve', comment: null, at });
          expect(result.ok).toBe(true);
          if (result.ok) flow = result.value.flow;
        }
        expect(flow.status).toBe('approved');
      }),
      { numRuns: 200 },
    );
  });
});
