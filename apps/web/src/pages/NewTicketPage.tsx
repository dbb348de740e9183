import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import type { DirectoryEntry, TemplateDto } from '@signoff/contracts';
import { api, ApiError } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { FieldInput } from '../components/FieldInput';
import { localizeValidationMessage, useI18n } from '../i18n';
import { buildTicketInput, type FormErrors, type RawValues } from '../ticketForm';
import { useResource } from '../useResource';
import { RoutePreview, type Picks } from './RoutePreview';

export function NewTicketPage() {
  const { t } = useI18n();
  const [reloads, setReloads] = useState(0);
  const templates = useResource(`templates:${reloads}`, (signal) => api.templates(signal));

  return (
    <section aria-labelledby="new-title" className="narrow">
      <div className="page-head">
        <h1 id="new-title">{t('new.title')}</h1>
      </div>
      {templates.status === 'loading' && (
        <p className="muted" role="status">
          {t('app.loading')}
        </p>
      )}
      {templates.status === 'error' && <ErrorMessage error={templates.error} onRetry={() => setReloads((n) => n + 1)} />}
      {templates.status === 'ready' &&
        (templates.data.length === 0 ? <p className="empty">{t('new.noTemplates')}</p> : <NewTicketForm templates={templates.data} />)}
    </section>
  );
}

function NewTicketForm({ templates }: { templates: TemplateDto[] }) {
  const { t, lt } = useI18n();
  const navigate = useNavigate();
  const id = useId();
  const [templateKey, setTemplateKey] = useState(templates.length === 1 ? templates[0]!.key : '');
  const [title, setTitle] = useState('');
  const [values, setValues] = useState<RawValues>({});
  const [errors, setErrors] = useState<FormErrors>({});
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [picks, setPicks] = useState<Picks>({});
  const template = templates.find((tpl) => tpl.key === templateKey);
  const message = (key: string) => (errors[key] ? localizeValidationMessage(errors[key], t) : undefined);

  function chooseTemplate(key: string) {
    setTemplateKey(key);
    setValues({});
    setErrors({});
    setPicks({});
  }

  const approvers = Object.fromEntries(
    Object.entries(picks)
      .filter(([, users]) => users.length > 0)
      .map(([stage, users]) => [stage, users.map((u: DirectoryEntry) => u.id)]),
  );

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setServerError(null);
    const { input, errors: found } = buildTicketInput(template, title, values);
    setErrors(found);
    if (!input) {
      const first = Object.keys(found)[0];
      const target =
        first === undefined
          ? null
          : event.currentTarget.querySelector<HTMLElement>(
              first === 'templateKey' ? 'input[name="template"]' : `[name="${CSS.escape(first)}"]`,
            );
      target?.focus();
      return;
    }
    setBusy(true);
    try {
      const detail = await api.createTicket(Object.keys(approvers).length > 0 ? { ...input, approvers } : input);
      void navigate(`/tickets/${detail.ticket.id}`);
    } catch (caught) {
      setServerError(caught instanceof ApiError ? caught : new ApiError(0, String(caught)));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="form card">
      <fieldset className="template-picker" aria-describedby={errors.templateKey ? `${id}-template-error` : undefined}>
        <legend>{t('new.template')}</legend>
        <div className="template-picker__grid">
          {templates.map((tpl) => (
            <label key={tpl.key} className={`template-card${tpl.key === templateKey ? ' template-card--selected' : ''}`}>
              <input
                type="radio"
                name="template"
                value={tpl.key}
                checked={tpl.key === templateKey}
                onChange={() => chooseTemplate(tpl.key)}
              />
              <span className="template-card__name">{lt(tpl.name)}</span>
              <span className="template-card__desc">{lt(tpl.description)}</span>
            </label>
          ))}
        </div>
        {errors.templateKey && (
          <p className="field__error" id={`${id}-template-error`}>
            {message('templateKey')}
          </p>
        )}
      </fieldset>

      {template && (
        <>
          <p className="muted small">{t('new.stages', { stages: template.stages.map((s) => lt(s.name)).join(' → ') })}</p>
          <div className="field">
            <label htmlFor={`${id}-title`}>{t('new.ticketTitle')}</label>
            <input
              id={`${id}-title`}
              name="title"
              type="text"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              aria-invalid={errors.title ? true : undefined}
              aria-describedby={errors.title ? `${id}-title-error` : undefined}
              aria-required
            />
            {errors.title && (
              <p className="field__error" id={`${id}-title-error`}>
                {message('title')}
              </p>
            )}
          </div>
          {template.fields.length > 0 && (
            <fieldset className="fields">
              <legend>{t('new.fields')}</legend>
              {template.fields.map((def) => (
                <FieldInput
                  key={def.key}
                  def={def}
                  id={`${id}-f-${def.key}`}
                  value={values[def.key] ?? ''}
                  error={message(def.key)}
                  onChange={(value) => setValues((prev) => ({ ...prev, [def.key]: value }))}
                />
              ))}
            </fieldset>
          )}
          <RoutePreview template={template} values={values} picks={picks} approvers={approvers} onPicks={setPicks} />
        </>
      )}

      {Object.keys(errors).length > 0 && (
        <p className="alert alert--error" role="alert">
          {t('new.fixErrors')}
        </p>
      )}
      {serverError && <ErrorMessage error={serverError} />}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? t('new.submitting') : t('new.submit')}
        </button>
      </div>
    </form>
  );
}
