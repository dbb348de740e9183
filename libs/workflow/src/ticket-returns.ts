/**
 * Sending a ticket back and what the requester does then: return (退回) to the requester
 * or to an earlier stage, resubmit after a return, withdraw (撤回) while unfinished.
 */
import type {
  ActionResult,
  ApprovalFlow,
  ApprovalStep,
  ApprovalTransition,
  EngineNote,
  RequesterCommand,
  ReturnCommand,
} from './approval-types';
import { FINAL_FLOW_STATUSES } from './approval-types';
import { settleFlow, skipUnfinished, transitionBetween, withTasks } from './flow-progress';
import { closeOpenTasks, freshRound, taskId } from './stage-modes';
import { checkTaskAction } from './task-decisions';

const undecided = { decidedById: null, decision: null, decidedAt: null, comment: null } as const;

/** The step will run again: waiting, with a new round of tasks. */
const rewound = (step: ApprovalStep): ApprovalStep => {
  const { round, tasks } = freshRound(step);
  return { ...withTasks({ ...step, round }, tasks), ...undecided, status: 'waiting', skipReason: null };
};

/**
 * The actor sends the ticket back from the step they are on: to the requester (the ticket
 * waits for a resubmission) or to an earlier approved stage (which runs again, as do the
 * stages after it). The step it was sent back from shows as `returned`.
 */
export function returnTicket(flow: ApprovalFlow, command: ReturnCommand): ActionResult<ApprovalTransition> {
  const checked = checkTaskAction(flow, command);
  if (!checked.ok) return checked;
  const { step, task } = checked.value;
  const comment = command.comment?.trim() ? command.comment : null;
  if (flow.policy.rejectCommentRequired && !comment) return { ok: false, refusal: 'comment_required' };

  const tasks = closeOpenTasks(
    step.tasks.map((t) => (t.id === task.id ? { ...t, status: 'returned' as const, decidedAt: command.at, comment } : t)),
  );
  const returnedStep: ApprovalStep = {
    ...withTasks(step, tasks),
    status: 'returned',
    decidedById: command.actorId,
    decision: null,
    decidedAt: command.at,
    comment,
  };

  if (command.to === 'requester') {
    if (!flow.requesterId) return { ok: false, refusal: 'invalid_return_target' };
    const next: ApprovalFlow = { ...flow, status: 'returned', steps: flow.steps.map((s) => (s.id === step.id ? returnedStep : s)) };
    return { ok: true, value: transitionBetween(flow, next, 'ticket.returned', [], [flow.requesterId]) };
  }

  const targetId = command.to.stepId;
  const target = flow.steps.find((s) => s.id === targetId);
  if (!target || target.position >= step.position || target.status !== 'approved') return { ok: false, refusal: 'invalid_return_target' };
  const steps = flow.steps.map((s) => {
    if (s.id === step.id) return returnedStep;
    if (s.position >= target.position && s.position < step.position && s.status === 'approved') return rewound(s);
    return s;
  });
  const notes: EngineNote[] = [];
  const next = settleFlow({ ...flow, steps }, { at: command.at }, notes);
  return { ok: true, value: transitionBetween(flow, next, 'step.returned', notes) };
}

function checkRequester(flow: ApprovalFlow, command: RequesterCommand): ActionResult<null> {
  if (!flow.requesterId || flow.requesterId !== command.actorId) return { ok: false, refusal: 'not_requester' };
  if (FINAL_FLOW_STATUSES.includes(flow.status)) return { ok: false, refusal: 'ticket_closed' };
  return { ok: true, value: null };
}

export interface ResubmitCommand extends RequesterCommand {
  /**
   * The route planned afresh (by `planFlow`) for the edited fields. Branch conditions
   * depend on the fields, so it replaces the old route step by step (matched by stage
   * key), each step keeping its id and starting a new round.
   */
  replanned?: Pick<ApprovalTransition, 'flow' | 'notes'>;
}

/** The old steps with the replanned ones' state, ids kept, every step in a new round. */
function adoptPlan(flow: ApprovalFlow, planned: ApprovalFlow): ApprovalStep[] | null {
  const byKey = new Map(planned.steps.map((s) => [s.key, s]));
  if (planned.steps.length !== flow.steps.length || flow.steps.some((s) => !byKey.has(s.key))) return null;
  return flow.steps.map((old) => {
    const fresh = byKey.get(old.key)!;
    const round = old.round + 1;
    const tasks = fresh.tasks.map((t, i) => ({ ...t, id: taskId(old.id, round, i) }));
    return withTasks({ ...fresh, id: old.id, position: old.position, round }, tasks);
  });
}

/**
 * The requester sends a returned ticket again: every stage that ran starts over from the
 * first; with edited fields, along the route planned for them.
 */
export function resubmit(flow: ApprovalFlow, command: ResubmitCommand): ActionResult<ApprovalTransition> {
  const checked = checkRequester(flow, command);
  if (!checked.ok) return checked;
  if (flow.status !== 'returned') return { ok: false, refusal: 'not_returned' };
  const notes: EngineNote[] = [...(command.replanned?.notes ?? [])];
  const adopted = command.replanned ? adoptPlan(flow, command.replanned.flow) : null;
  if (command.replanned && !adopted) throw new Error('resubmit: the replanned route does not match the ticket’s stages');
  const steps = adopted ?? flow.steps.map((s) => (s.status === 'skipped' ? s : rewound(s)));
  const status = adopted ? command.replanned!.flow.status : 'pending';
  const next = settleFlow({ ...flow, status, steps }, { at: command.at }, notes);
  return { ok: true, value: transitionBetween(flow, next, 'ticket.resubmitted', notes, [command.actorId]) };
}

/** The requester takes back an unfinished ticket: open tasks close, stages not run are skipped. */
export function withdraw(flow: ApprovalFlow, command: RequesterCommand): ActionResult<ApprovalTransition> {
  const checked = checkRequester(flow, command);
  if (!checked.ok) return checked;
  const next: ApprovalFlow = { ...flow, status: 'withdrawn', steps: skipUnfinished(flow.steps, 'withdrawn') };
  return {
    ok: true,
    value: transitionBetween(flow, next, 'ticket.withdrawn', [], flow.status === 'returned' ? [command.actorId] : []),
  };
}
