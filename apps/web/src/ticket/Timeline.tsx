import type { StepDto, TicketEventDto } from '@signoff/contracts';
import { useI18n } from '../i18n';

/** The stage an event decided: the most recently decided stage in that event's snapshot. */
function decidedStep(event: TicketEventDto): StepDto | undefined {
  return event.flow.steps
    .filter((s) => s.decidedAt && (event.type === 'step.approved' ? s.status === 'approved' : s.status === 'rejected'))
    .sort((a, b) => (a.decidedAt! < b.decidedAt! ? 1 : -1))[0];
}

/** What happened to the ticket's state; messages (`comment.added`) live in the discussion. */
export function Timeline({ events: all }: { events: TicketEventDto[] }) {
  const { t, lt, formatDateTime } = useI18n();
  const events = all.filter((e) => e.type !== 'comment.added');
  if (events.length === 0) return <p className="muted">{t('ticket.noEvents')}</p>;
  return (
    <ol className="timeline" aria-label={t('ticket.timeline')}>
      {events.map((event) => {
        const actor = event.actor?.name ?? t('event.someone');
        const step = event.type === 'step.approved' || event.type === 'step.rejected' ? decidedStep(event) : undefined;
        const stepName = step ? lt(step.name) : '';
        return (
          <li
            key={event.seq}
            className={`timeline__item timeline__item--${event.type.replace('.', '-')}`}
            data-seq={event.seq}
            data-type={event.type}
          >
            <span className="timeline__dot" aria-hidden="true" />
            <div>
              <div className="timeline__text">{t(`event.${event.type}`, { actor, step: stepName })}</div>
              <time className="timeline__time" dateTime={event.at}>
                {formatDateTime(event.at)}
              </time>
              {event.comment && <blockquote className="timeline__comment">{event.comment}</blockquote>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
