import type { StepStatus, TicketStatus } from '@signoff/contracts';
import { useI18n } from '../i18n';

export function TicketStatusBadge({ status, testId }: { status: TicketStatus; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge--${status}`} data-status={status} data-testid={testId}>
      {t(`status.${status}`)}
    </span>
  );
}

export function StepStatusBadge({ status }: { status: StepStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge--step-${status}`}>{t(`step.${status}`)}</span>;
}
