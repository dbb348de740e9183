import type { RuleNoteDto, StepDto, TicketEventDto } from '@signoff/contracts';
import { useI18n, type I18n } from '../i18n';

/** The stage an event acted on: one whose status changed, else the one that was active before it. */
function eventStep(event: TicketEventDto): StepDto | undefined {
  if (event.type === 'step.approved' || event.type === 'step.rejected') {
    return event.flow.steps
      .filter((s) => s.decidedAt && (event.type === 'step.approved' ? s.status === 'approved' : s.status === 'rejected'))
      .sort((a, b) => (a.decidedAt! < b.decidedAt! ? 1 : -1))[0];
  }
  const before = new Map((event.before?.steps ?? []).map((s) => [s.id, s.status]));
  const wasActive = event.before?.steps.find((s) => s.status === 'active');
  if (event.type.startsWith('task.') || event.type === 'signer.added') {
    if (wasActive) return event.flow.steps.find((s) => s.id === wasActive.id);
  }
  return (
    event.flow.steps.find((s) => before.has(s.id) && before.get(s.id) !== s.status) ?? event.flow.steps.find((s) => s.id === wasActive?.id)
  );
}

/** A rule the engine applied, as a sentence ("Skipped IT lead review: condition department == "IT" does not hold"). */
export function noteText(note: RuleNoteDto, steps: StepDto[], { t, lt }: Pick<I18n, 't' | 'lt'>): string {
  const step = note.stageKey ? steps.find((s) => s.key === note.stageKey) : undefined;
  const stage = step ? lt(step.name) : (note.stageKey ?? t('note.someStage'));
  return t(`note.${note.rule}`, { stage, detail: note.detail ?? '', user: note.user?.name ?? t('event.someone') });
}

/** What happened to the ticket's state; messages (`comment.added`) live in the discussion. */
export function Timeline({ events: all }: { events: TicketEventDto[] }) {
  const i18n = useI18n();
  const { t, lt, formatDateTime } = i18n;
  const events = all.filter((e) => e.type !== 'comment.added');
  if (events.length === 0) return <p className="muted">{t('ticket.noEvents')}</p>;
  return (
    <ol className="timeline" aria-label={t('ticket.timeline')}>
      {events.map((event) => {
        const name = event.actor?.name ?? t('event.someone');
        const actor = event.onBehalfOf ? t('event.onBehalfOf', { actor: name, name: event.onBehalfOf.name }) : name;
        const step = eventStep(event);
        const stepName = step ? lt(step.name) : '';
        const notes = event.notes ?? [];
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
              {notes.length > 0 && (
                <ul className="timeline__notes">
                  {notes.map((note, i) => (
                    <li key={i} data-rule={note.rule}>
                      {noteText(note, event.flow.steps, i18n)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
