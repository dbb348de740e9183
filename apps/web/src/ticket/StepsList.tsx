import type { StepDto } from '@signoff/contracts';
import { StepStatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n';

/** The accessible twin of the flow diagram: one list item per stage, in order. */
export function StepsList({ steps }: { steps: StepDto[] }) {
  const { t, lt, formatDateTime } = useI18n();
  const ordered = [...steps].sort((a, b) => a.position - b.position);
  return (
    <ol className="steps" aria-label={t('ticket.steps')}>
      {ordered.map((step) => (
        <li key={step.id} className={`step step--${step.status}`} data-step-key={step.key} data-step-id={step.id} data-status={step.status}>
          <div className="step__head">
            <span className="step__name">{lt(step.name)}</span>
            <StepStatusBadge status={step.status} />
          </div>
          <div className="step__meta">
            {step.approvers.length > 0
              ? t('ticket.approvers', { names: step.approvers.map((a) => a.name).join(', ') })
              : t('ticket.noApprovers')}
          </div>
          {step.decidedBy && step.decision && step.decidedAt && (
            <div className="step__outcome">
              {t('ticket.decidedBy', {
                decision: t(step.decision === 'approve' ? 'decision.approved' : 'decision.rejected'),
                name: step.decidedBy.name,
                time: formatDateTime(step.decidedAt),
              })}
              {step.comment && <q className="step__comment">{step.comment}</q>}
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
