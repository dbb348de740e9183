/**
 * Input schemas shared by the browser (form validation) and the server (request
 * validation), so both say the same thing about the same mistake.
 */
import { z } from 'zod';
import { DECISIONS, ROLES } from './status';
import type { FieldDef } from './templates';

export const TITLE_MAX = 200;
export const COMMENT_MAX = 2000;
export const TEXT_FIELD_MAX = 2000;

export const loginSchema = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(z.email('must be an email address')),
  password: z.string().min(1, 'is required').max(1000, 'is too long'),
});
export type LoginInput = z.infer<typeof loginSchema>;

export const createTicketSchema = z.strictObject({
  templateKey: z.string().trim().min(1, 'is required').max(100, 'is too long'),
  title: z.string().trim().min(1, 'is required').max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`),
  fields: z.record(z.string(), z.unknown()),
});
export type CreateTicketInput = z.infer<typeof createTicketSchema>;

export const decisionSchema = z.strictObject({
  stepId: z.uuid('must be a step id'),
  decision: z.enum(DECISIONS, 'must be "approve" or "reject"'),
  comment: z.string().trim().max(COMMENT_MAX, `must be at most ${COMMENT_MAX} characters`).optional(),
});
export type DecisionInput = z.infer<typeof decisionSchema>;

export const commentSchema = z.strictObject({
  body: z.string('must be text').trim().min(1, 'is required').max(COMMENT_MAX, `must be at most ${COMMENT_MAX} characters`),
});
export type CommentInput = z.infer<typeof commentSchema>;

export const BULK_MAX = 100;
export const bulkDecisionSchema = z.strictObject({
  decision: z.enum(DECISIONS, 'must be "approve" or "reject"'),
  comment: z.string().trim().max(COMMENT_MAX, `must be at most ${COMMENT_MAX} characters`).optional(),
  items: z
    .array(
      z.strictObject({ ticketId: z.uuid('must be a ticket id'), stepId: z.uuid('must be a step id') }),
      'must be a list of {ticketId, stepId}',
    )
    .min(1, 'must name at least one ticket')
    .max(BULK_MAX, `must name at most ${BULK_MAX} tickets`),
});
export type BulkDecisionInput = z.infer<typeof bulkDecisionSchema>;

export const BOXES = ['mine', 'todo', 'all'] as const;
export type Box = (typeof BOXES)[number];
export const ticketListQuerySchema = z.object({
  box: z.enum(BOXES, 'must be one of mine, todo, all').default('mine'),
});

export const eventsQuerySchema = z.object({
  after: z.coerce.number('must be a number').int('must be a whole number').min(0, 'must be 0 or more').default(0),
});

export const ticketIdSchema = z.uuid('must be a ticket id');

export const watchRequestSchema = z.strictObject({
  ticketId: ticketIdSchema,
  afterSeq: z.number('must be a number').int('must be a whole number').min(0, 'must be 0 or more').optional(),
});
export const unwatchRequestSchema = z.strictObject({ ticketId: ticketIdSchema });

export const userRecordSchema = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(z.email('must be an email address')),
  name: z.string().trim().min(1, 'is required').max(100, 'is too long'),
  role: z.enum(ROLES, `must be one of ${ROLES.join(', ')}`),
  managerEmail: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email('must be an email address'))
    .optional()
    .or(z.literal('').transform(() => undefined)),
  password: z.string().min(8, 'must be at least 8 characters').max(200, 'is too long').optional(),
});
export type UserRecordInput = z.infer<typeof userRecordSchema>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function fieldSchema(def: FieldDef): z.ZodType {
  let schema: z.ZodType;
  switch (def.type) {
    case 'text':
      schema = z
        .string('must be text')
        .trim()
        .max(def.maxLength ?? TEXT_FIELD_MAX, `must be at most ${def.maxLength ?? TEXT_FIELD_MAX} characters`);
      if (def.required) schema = (schema as z.ZodString).min(1, 'is required');
      break;
    case 'number': {
      let n = z.number('must be a number').refine(Number.isFinite, 'must be a number');
      if (def.min !== undefined) n = n.refine((v) => v >= def.min!, `must be at least ${def.min}`);
      if (def.max !== undefined) n = n.refine((v) => v <= def.max!, `must be at most ${def.max}`);
      schema = n;
      break;
    }
    case 'date':
      schema = z
        .string('must be a date')
        .regex(ISO_DATE, 'must be a date (YYYY-MM-DD)')
        .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'must be a real date');
      break;
    case 'choice': {
      const values = (def.options ?? []).map((o) => o.value);
      schema = z.string('must be one of the options').refine((v) => values.includes(v), {
        message: `must be one of ${values.join(', ')}`,
      });
      break;
    }
  }
  if (!def.required) {
    return z.preprocess((v) => (v === '' || v === undefined ? null : v), schema.nullable()).optional();
  }
  return z.preprocess((v) => (v === '' ? undefined : v), schema).refine((v) => v !== undefined, 'is required');
}

/** Schema of a ticket's `fields` object for one template: unknown keys are refused. */
export function fieldValuesSchema(defs: FieldDef[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const def of defs) shape[def.key] = fieldSchema(def);
  return z.strictObject(shape);
}

/** One line per problem, each naming the field: `fields.amount: must be at least 1`. */
export function describeZodError(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      if (issue.code === 'unrecognized_keys') {
        const where = path ? `${path}: ` : '';
        return `${where}unknown field(s) ${issue.keys.join(', ')}`;
      }
      if (issue.code === 'invalid_type' && issue.input === undefined) return `${path || 'body'}: is required`;
      return `${path || 'body'}: ${issue.message}`;
    })
    .join('; ');
}
