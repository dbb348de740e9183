import { lazy, Suspense, useEffect, useId, useMemo, useState } from 'react';
import { flowToTreeModel, type DirectoryEntry, type RoutePreviewDto, type TemplateDto } from '@signoff/contracts';
import { api } from '../api';
import { UserPicker } from '../components/UserPicker';
import { useI18n } from '../i18n';
import { useSession } from '../session/context';
import { modeLabel, skipReasonLabel } from '../ticket/StepsList';
import { noteText } from '../ticket/Timeline';
import { buildTicketInput, type RawValues } from '../ticketForm';

const FlowDiagram = lazy(() => import('../flow/FlowDiagram').then((m) => ({ default: m.FlowDiagram })));

/** The requester's picks for `requesterPick` stages: stage key → people. */
export type Picks = Record<string, DirectoryEntry[]>;

const DEBOUNCE_MS = 400;

/**
 * What the ticket would do if submitted now (POST /api/templates/:key/preview), drawn
 * with the same diagram as a real ticket. Asked only once the fields validate.
 */
export function RoutePreview({
  template,
  values,
  picks,
  approvers,
  onPicks,
}: {
  template: TemplateDto;
  values: RawValues;
  picks: Picks;
  approvers: Record<string, string[]>;
  onPicks: (next: Picks) => void;
}) {
  const { t, lt, locale } = useI18n();
  const { user } = useSession();
  const id = useId();
  const [result, setResult] = useState<{ key: string; data: RoutePreviewDto } | null>(null);

  // The title does not change the route: validate the fields with a stand-in title.
  const { input } = buildTicketInput(template, 'preview', values);
  const requestKey = input ? JSON.stringify({ t: template.key, f: input.fields, a: approvers }) : null;

  useEffect(() => {
    if (!requestKey) return;
    const { t: key, f: fields, a } = JSON.parse(requestKey) as { t: string; f: Record<string, unknown>; a: Record<string, string[]> };
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.preview(key, { fields, ...(Object.keys(a).length > 0 ? { approvers: a } : {}) }, controller.signal).then(
        (data) => setResult({ key: requestKey, data }),
        () => undefined,
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [requestKey]);

  const shown = requestKey && result ? result.data : null;
  const nodes = useMemo(
    () => (shown ? flowToTreeModel({ status: shown.status, requester: user }, shown.flow, locale) : []),
    [shown, user, locale],
  );
  const pickStages = template.stages.filter((s) => s.approver.kind === 'requesterPick');

  return (
    <section className="preview" aria-labelledby={`${id}-title`} data-testid="route-preview-section">
      <h2 id={`${id}-title`}>{t('preview.title')}</h2>
      {pickStages.map((stage) => (
        <div key={stage.key} className="preview__pick">
          <UserPicker
            label={t('preview.pick', { stage: lt(stage.name) })}
            value={null}
            excludeIds={[user.id, ...(picks[stage.key] ?? []).map((u) => u.id)]}
            onChange={(picked) => picked && onPicks({ ...picks, [stage.key]: [...(picks[stage.key] ?? []), picked] })}
          />
          <ul className="preview__picked" aria-label={t('preview.pick', { stage: lt(stage.name) })}>
            {(picks[stage.key] ?? []).map((u) => (
              <li key={u.id}>
                {u.name}{' '}
                <button
                  type="button"
                  className="btn btn--small btn--ghost"
                  aria-label={t('picker.clear', { name: u.name })}
                  onClick={() => onPicks({ ...picks, [stage.key]: (picks[stage.key] ?? []).filter((p) => p.id !== u.id) })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {!requestKey && <p className="muted small">{t('preview.incomplete')}</p>}
      {requestKey && !shown && (
        <p className="muted small" role="status">
          {t('preview.updating')}
        </p>
      )}
      {shown && (
        <>
          <p className="muted small">{t('preview.intro')}</p>
          <div className="flow flow--preview">
            <Suspense fallback={<div className="flow__diagram" aria-busy="true" />}>
              <FlowDiagram nodes={nodes} label={t('preview.diagram')} testId="route-preview" />
            </Suspense>
            <ol className="steps" aria-label={t('preview.stages')}>
              {[...shown.flow.steps]
                .sort((a, b) => a.position - b.position)
                .map((step) => {
                  const names = (step.tasks.length > 0 ? step.tasks.map((task) => task.assignee) : step.approvers).map((u) => u.name);
                  return (
                    <li key={step.id} className={`step step--${step.status}`} data-step-key={step.key} data-status={step.status}>
                      <div className="step__head">
                        <span className="step__name">{lt(step.name)}</span>
                        <span className="muted small">{modeLabel(step, t)}</span>
                      </div>
                      <div className="step__meta">
                        {step.status === 'skipped'
                          ? skipReasonLabel(step.skipReason, t)
                          : t('ticket.approvers', { names: names.join(', ') || t('preview.nobody') })}
                      </div>
                    </li>
                  );
                })}
            </ol>
          </div>
          {shown.notes.length > 0 && (
            <ul className="timeline__notes">
              {shown.notes.map((note, i) => (
                <li key={i} data-rule={note.rule}>
                  {noteText(note, shown.flow.steps, { t, lt })}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
