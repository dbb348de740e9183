import type { FieldDef } from '@signoff/contracts';
import { useI18n } from '../i18n';

/** One template field as the input its type calls for, with label and error wiring. */
export function FieldInput({
  def,
  id,
  value,
  error,
  onChange,
}: {
  def: FieldDef;
  id: string;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  const { t, lt } = useI18n();
  const errorId = `${id}-error`;
  const common = {
    id,
    name: def.key,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId : undefined,
    'aria-required': def.required || undefined,
  } as const;

  let control;
  switch (def.type) {
    case 'number':
      control = <input {...common} type="number" inputMode="decimal" step="any" onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'date':
      control = <input {...common} type="date" onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'choice':
      control = (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('new.choose')}</option>
          {(def.options ?? []).map((option) => (
            <option key={option.value} value={option.value}>
              {lt(option.label)}
            </option>
          ))}
        </select>
      );
      break;
    default:
      control =
        (def.maxLength ?? 0) > 200 ? (
          <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input {...common} type="text" onChange={(e) => onChange(e.target.value)} />
        );
  }

  return (
    <div className="field">
      <label htmlFor={id}>
        {lt(def.label)}
        {!def.required && <span className="field__optional"> ({t('new.optional')})</span>}
      </label>
      {control}
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
