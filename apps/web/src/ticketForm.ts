/**
 * Turns the new-ticket form's raw input strings into the request body and checks it
 * with the same zod schemas the server uses (libs/contracts).
 */
import {
  createTicketSchema,
  fieldValuesSchema,
  type CreateTicketInput,
  type FieldDef,
  type FieldValue,
  type TemplateDto,
} from '@signoff/contracts';

export type RawValues = Record<string, string>;
/** Error messages (English, as the schemas word them) by `title`, `templateKey` or field key. */
export type FormErrors = Record<string, string>;

const isEmpty = (raw: string | undefined) => raw === undefined || raw.trim() === '';

function toValue(def: FieldDef, raw: string | undefined): FieldValue {
  if (isEmpty(raw)) return null;
  if (def.type === 'number') {
    const n = Number(raw);
    return Number.isNaN(n) ? raw! : n;
  }
  return raw!;
}

export function buildTicketInput(
  template: TemplateDto | undefined,
  title: string,
  raw: RawValues,
): { input: CreateTicketInput | null; errors: FormErrors } {
  const errors: FormErrors = {};
  const defs = template?.fields ?? [];
  const fields: Record<string, FieldValue> = {};
  for (const def of defs) fields[def.key] = toValue(def, raw[def.key]);

  const body = createTicketSchema.safeParse({ templateKey: template?.key ?? '', title, fields });
  if (!body.success) {
    for (const issue of body.error.issues) {
      const key = String(issue.path[0] ?? 'form');
      if (key !== 'fields') errors[key] ??= issue.message;
    }
  }

  // Required-but-empty values go in as undefined so the schema reports "is required".
  const forValidation: Record<string, FieldValue | undefined> = {};
  for (const def of defs) forValidation[def.key] = fields[def.key] === null ? undefined : fields[def.key];
  const values = fieldValuesSchema(defs).safeParse(forValidation);
  if (!values.success) {
    for (const issue of values.error.issues) {
      const key = String(issue.path[0] ?? 'form');
      const def = defs.find((d) => d.key === key);
      errors[key] ??= def?.required && forValidation[key] === undefined ? 'is required' : issue.message;
    }
  }

  if (Object.keys(errors).length > 0 || !body.success) return { input: null, errors };
  return { input: { templateKey: body.data.templateKey, title: body.data.title, fields }, errors };
}
