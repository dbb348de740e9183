import type { FieldDef, FieldValue } from '@signoff/contracts';
import { useI18n } from '../i18n';

/** The submitted values, labelled by the field definitions the ticket started with. */
export function TicketFields({ defs, values }: { defs: FieldDef[]; values: Record<string, FieldValue> }) {
  const { t, lt, locale } = useI18n();
  const show = (def: FieldDef, value: FieldValue | undefined) => {
    if (value === null || value === undefined || value === '') return t('ticket.emptyValue');
    if (def.type === 'choice') {
      const option = def.options?.find((o) => o.value === value);
      return option ? lt(option.label) : String(value);
    }
    if (def.type === 'number' && typeof value === 'number') return value.toLocaleString(locale === 'zh' ? 'zh-CN' : 'en');
    return String(value);
  };
  return (
    <dl className="fields-list">
      {defs.map((def) => (
        <div key={def.key} className="fields-list__row" data-field={def.key}>
          <dt>{lt(def.label)}</dt>
          <dd>{show(def, values[def.key])}</dd>
        </div>
      ))}
    </dl>
  );
}
