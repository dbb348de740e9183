import type { StepDto, TaskDto } from '@signoff/contracts';
import { StepStatusBadge } from '../components/StatusBadge';
import { useI18n, type MessageKey } from '../i18n';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** "All must agree (会签)", "2 of 3 (quorum)"… */
export function modeLabel(step: Pick<StepDto, 'mode' | 'quorum' | 'tasks' | 'progress'>, t: T): string {
  if (step.mode === 'quorum') {
    return t('mode.quorum', { quorum: step.quorum ?? step.progress.required, total: step.progress.total || step.tasks.length });
  }
  return t(`mode.${step.mode}`);
}

export function skipReasonLabel(reason: StepDto['skipReason'], t: T): string | null {
  return reason ? t(`skip.${reason}`) : null;
}

function TaskItem({ task }: { task: TaskDto }) {
  const { t } = useI18n();
  return (
    <li className={`task task--${task.status}`} data-task-status={task.status} data-assignee={task.assignee.email}>
      <span className="task__dot" aria-hidden="true" />
      <span className="task__name">{task.assignee.name}</span>
      {task.onBehalfOf && <span className="task__note"> · {t('task.onBehalfOf', { name: task.onBehalfOf.name })}</span>}
      {task.addedBy && <span className="task__note"> · {t('task.addedBy', { name: task.addedBy.name })}</span>}
      <span className="task__status"> — {t(`taskStatus.${task.status}`)}</span>
      {task.auto && <span className="task__note"> · {t(`task.auto.${task.auto}`)}</span>}
      {task.comment && <q className="step__comment">{task.comment}</q>}
    </li>
  );
}

/** The accessible twin of the flow diagram: one list item per stage, in order. */
export function StepsList({ steps }: { steps: StepDto[] }) {
  const { t, lt, formatDateTime } = useI18n();
  const ordered = [...steps].sort((a, b) => a.position - b.position);
  return (
    <ol className="steps" aria-label={t('ticket.steps')}>
      {ordered.map((step) => {
        const many = step.mode !== 'single' || step.tasks.length > 1;
        const skip = step.status === 'skipped' ? skipReasonLabel(step.skipReason, t) : null;
        return (
          <li
            key={step.id}
            className={`step step--${step.status}`}
            data-step-key={step.key}
            data-step-id={step.id}
            data-status={step.status}
            data-round={step.round}
          >
            <div className="step__head">
              <span className="step__name">{lt(step.name)}</span>
              <StepStatusBadge status={step.status} />
            </div>
            <div className="step__meta">
              <span data-testid="step-mode">{modeLabel(step, t)}</span>
              {many && (
                <span data-testid="step-progress">
                  {' · '}
                  {t('steps.progress', { approved: step.progress.approved, required: step.progress.required })}
                </span>
              )}
              {step.round > 1 && <span> · {t('steps.round', { round: step.round })}</span>}
            </div>
            {skip && <div className="step__skip">{skip}</div>}
            {step.tasks.length > 0 ? (
              <ul className="tasks" aria-label={t('steps.tasks', { stage: lt(step.name) })}>
                {[...step.tasks]
                  .sort((a, b) => a.order - b.order)
                  .map((task) => (
                    <TaskItem key={task.id} task={task} />
                  ))}
              </ul>
            ) : (
              !skip && (
                <div className="step__meta">
                  {step.approvers.length > 0
                    ? t('ticket.approvers', { names: step.approvers.map((a) => a.name).join(', ') })
                    : t('ticket.noApprovers')}
                </div>
              )
            )}
            {step.decidedBy && step.decision && step.decidedAt && (
              <div className="step__outcome">
                {t('ticket.decidedBy', {
                  decision: t(step.decision === 'approve' ? 'decision.approved' : 'decision.rejected'),
                  name: step.decidedBy.name,
                  time: formatDateTime(step.decidedAt),
                })}
                {/* The decider's task already shows their comment; repeat it only when no task does. */}
                {step.comment && !step.tasks.some((task) => task.comment === step.comment) && (
                  <q className="step__comment">{step.comment}</q>
                )}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
