/**
 * Input schemas shared by the browser (form validation) and the server (request
 * validation), so both say the same thing about the same mistake.
 */
import { z } from 'zod';
import { DECISIONS, ROLES } from './status';
import { FIELD_TYPES, STAGE_MODES, type FieldDef } from './templates';

export const TITLE_MAX = 200;
export const COMMENT_MAX = 2000;
export const TEXT_FIELD_MAX = 2000;

export const loginSchema = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(z.email('must be an email address')),
  password: z.string().min(1, 'is required').max(1000, 'is too long'),
});
export type LoginInput = z.infer<typeof loginSchema>;

const userId = z.uuid('must be a user id');
const optionalComment = z.string('must be text').trim().max(COMMENT_MAX, `must be at most ${COMMENT_MAX} characters`).optional();

/** For stages whose approvers the requester picks: stage key → user ids. */
const approverPicks = z.record(
  z.string(),
  z.array(userId, 'must be a list of user ids').min(1, 'must name at least one user').max(20, 'is too long'),
);

export const createTicketSchema = z.strictObject({
  templateKey: z.string().trim().min(1, 'is required').max(100, 'is too long'),
  title: z.string().trim().min(1, 'is required').max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`),
  fields: z.record(z.string(), z.unknown()),
  approvers: approverPicks.optional(),
});

/** Route preview: what a ticket would do with these fields, before submitting. */
export const routePreviewSchema = z.strictObject({
  fields: z.record(z.string(), z.unknown()),
  approvers: approverPicks.optional(),
});
export type RoutePreviewInput = z.infer<typeof routePreviewSchema>;

export const returnSchema = z.strictObject({
  stepId: z.uuid('must be a step id'),
  /** `requester`, or the id of an earlier approved step. */
  to: z.union([z.literal('requester'), z.uuid()], 'must be "requester" or an earlier step id'),
  comment: optionalComment,
});
export type ReturnInput = z.infer<typeof returnSchema>;

export const transferSchema = z.strictObject({ stepId: z.uuid('must be a step id'), toUserId: userId, comment: optionalComment });
export type TransferInput = z.infer<typeof transferSchema>;

export const addSignerSchema = z.strictObject({
  stepId: z.uuid('must be a step id'),
  userId,
  position: z.enum(['before', 'after'], 'must be "before" or "after"'),
  comment: optionalComment,
});
export type AddSignerInput = z.infer<typeof addSignerSchema>;

export const withdrawSchema = z.strictObject({ comment: optionalComment });
export type WithdrawInput = z.infer<typeof withdrawSchema>;

/** Resubmit after a return, optionally with edited title and fields (checked like a new ticket). */
export const resubmitSchema = z.strictObject({
  title: z.string().trim().min(1, 'is required').max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`).optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  comment: optionalComment,
});
export type ResubmitInput = z.infer<typeof resubmitSchema>;

const isoDay = z.string('must be a date').regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');
export const delegationSchema = z
  .strictObject({ delegateId: userId, from: isoDay, to: isoDay })
  .refine((d) => d.from <= d.to, { message: 'must not be before from', path: ['to'] });
export type DelegationInput = z.infer<typeof delegationSchema>;

export const directoryQuerySchema = z.object({ q: z.string().trim().max(100, 'is too long').default('') });
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

export const BOXES = ['mine', 'todo', 'cc', 'all'] as const;
export type Box = (typeof BOXES)[number];
export const ticketListQuerySchema = z.object({
  box: z.enum(BOXES, `must be one of ${BOXES.join(', ')}`).default('mine'),
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

/* ---- Template definitions (structure; the engine's validateTemplate checks the meaning) ---- */

const KEY = /^[a-z][a-z0-9_-]{0,63}$/;
const key = z.string('must be text').regex(KEY, 'must be lower-case letters, digits, - or _, starting with a letter');
const localized = z.strictObject({
  en: z.string().trim().min(1, 'is required').max(200),
  zh: z.string().trim().min(1, 'is required').max(200),
});
const email = z.string().trim().toLowerCase().pipe(z.email('must be an email address'));

export const approverRuleSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('user'), email }),
    z.strictObject({ kind: z.literal('users'), emails: z.array(email).min(1, 'needs at least one email').max(50) }),
    z.strictObject({ kind: z.literal('role'), role: z.enum(ROLES, `must be one of ${ROLES.join(', ')}`) }),
    z.strictObject({ kind: z.literal('manager') }),
    z.strictObject({
      kind: z.literal('managerChain'),
      levels: z.number().int().min(1, 'must be at least 1').max(10, 'must be at most 10'),
    }),
    z.strictObject({ kind: z.literal('requesterPick'), max: z.number().int().min(1).max(20).optional() }),
  ],
  { error: 'must be an approver rule with kind user, users, role, manager, managerChain or requesterPick' },
);

const fieldKey = z
  .string('must be text')
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be letters, digits or _, starting with a letter (conditions name it)');
const fieldDefSchema = z.strictObject({
  key: fieldKey,
  label: localized,
  type: z.enum(FIELD_TYPES, `must be one of ${FIELD_TYPES.join(', ')}`),
  required: z.boolean(),
  maxLength: z.number().int().positive().max(TEXT_FIELD_MAX).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  options: z
    .array(z.strictObject({ value: z.string().min(1).max(100), label: localized }))
    .min(1)
    .max(100)
    .optional(),
});

const stageDefSchema = z.strictObject({
  key,
  name: localized,
  mode: z.enum(STAGE_MODES, `must be one of ${STAGE_MODES.join(', ')}`),
  approver: approverRuleSchema,
  quorum: z.number().int().min(1, 'must be at least 1').optional(),
  condition: z.string().trim().min(1).max(2000).optional(),
  fallback: approverRuleSchema.optional(),
  deadlineHours: z
    .number()
    .positive('must be more than 0')
    .max(24 * 365)
    .optional(),
});

export const templateDefSchema = z.strictObject({
  key,
  name: localized,
  description: localized,
  fields: z.array(fieldDefSchema).max(50, 'must have at most 50 fields'),
  stages: z.array(stageDefSchema).min(1, 'needs at least one stage').max(30, 'must have at most 30 stages'),
  rules: z
    .strictObject({
      requesterIsApprover: z.enum(['auto_approve', 'skip']).optional(),
      rejectCommentRequired: z.boolean().optional(),
      dedupeConsecutive: z.boolean().optional(),
    })
    .optional(),
  fallback: approverRuleSchema.optional(),
  cc: z.strictObject({ atStart: z.array(email).max(50).optional(), atFinish: z.array(email).max(50).optional() }).optional(),
});
