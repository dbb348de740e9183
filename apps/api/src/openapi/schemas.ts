/**
 * The OpenAPI components: request schemas derived from the very zod schemas the API
 * validates with, and response shapes of the DTOs in `@signoff/contracts` (written once, here).
 */
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import {
  addSignerSchema,
  delegationSchema,
  resubmitSchema,
  returnSchema,
  routePreviewSchema,
  templateDefSchema,
  transferSchema,
  withdrawSchema,
  TASK_STATUSES,
  STAGE_MODES,
  bulkDecisionSchema,
  commentSchema,
  createTicketSchema,
  DECISIONS,
  decisionSchema,
  FIELD_TYPES,
  loginSchema,
  ROLES,
  STEP_STATUSES,
  TICKET_EVENT_TYPES,
  TICKET_STATUSES,
} from '@signoff/contracts';
import { z } from 'zod';

/** What a client may send for `schema` (input side: defaults make a property optional). */
export function openApiSchemaOf(schema: z.ZodType): SchemaObject {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' });
  return json as SchemaObject;
}

/** Request bodies, by component name. A body decorator must name one of these very schemas. */
export const REQUEST_BODIES = new Map<z.ZodType, string>([
  [loginSchema, 'LoginRequest'],
  [createTicketSchema, 'CreateTicketRequest'],
  [decisionSchema, 'DecisionRequest'],
  [commentSchema, 'CommentRequest'],
  [bulkDecisionSchema, 'BulkDecisionRequest'],
  [returnSchema, 'ReturnRequest'],
  [resubmitSchema, 'ResubmitRequest'],
  [withdrawSchema, 'WithdrawRequest'],
  [transferSchema, 'TransferRequest'],
  [addSignerSchema, 'AddSignerRequest'],
  [routePreviewSchema, 'RoutePreviewRequest'],
  [delegationSchema, 'DelegationRequest'],
  [templateDefSchema, 'TemplateDefinition'],
]);

/** A reference to a component; inside DTOS the names are unchecked (the test resolves every $ref). */
const r = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const str: SchemaObject = { type: 'string' };
const uuid: SchemaObject = { type: 'string', format: 'uuid' };
const time: SchemaObject = { type: 'string', format: 'date-time' };
const int: SchemaObject = { type: 'integer', minimum: 0 };
const obj = (properties: Record<string, SchemaObject | ReferenceObject>, description?: string): SchemaObject => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  ...(description ? { description } : {}),
});
const nullable = (name: string): SchemaObject => ({ allOf: [r(name)], nullable: true });
const arrayOf = (items: SchemaObject | ReferenceObject): SchemaObject => ({ type: 'array', items });
const enumOf = (values: readonly string[]): SchemaObject => ({ type: 'string', enum: [...values] });

const DTOS = {
  ApiError: obj(
    { statusCode: { type: 'integer' }, error: str, message: str },
    'Every error: HTTP status, its reason phrase and one message naming the field at fault.',
  ),
  LocalizedText: obj({ en: str, zh: str }),
  UserRef: obj({ id: uuid, name: str, email: { type: 'string', format: 'email' } }),
  User: {
    allOf: [r('UserRef'), obj({ role: enumOf(ROLES), managerId: { ...uuid, nullable: true }, active: { type: 'boolean' } })],
  },
  LoginResponse: obj({
    user: r('User'),
    token: { type: 'string', description: 'Bearer token; browsers use the httpOnly session cookie set alongside.' },
  }),
  FieldDef: {
    type: 'object',
    required: ['key', 'label', 'type', 'required'],
    properties: {
      key: str,
      label: r('LocalizedText'),
      type: enumOf(FIELD_TYPES),
      required: { type: 'boolean' },
      maxLength: { type: 'integer', description: 'text: maximum length' },
      min: { type: 'number', description: 'number: inclusive lower bound' },
      max: { type: 'number', description: 'number: inclusive upper bound' },
      options: arrayOf(obj({ value: str, label: r('LocalizedText') })),
    },
  },
  Template: { allOf: [r('TemplateDefinition'), obj({ id: uuid, version: { type: 'integer' } })] },
  TemplateVersion: obj({ id: uuid, key: str, version: { type: 'integer' }, createdAt: time }),
  Ticket: obj({
    id: uuid,
    title: str,
    templateKey: str,
    templateVersion: { type: 'integer' },
    templateName: r('LocalizedText'),
    fieldDefs: arrayOf(r('FieldDef')),
    fields: { type: 'object', additionalProperties: { oneOf: [str, { type: 'number' }], nullable: true } },
    status: enumOf(TICKET_STATUSES),
    requester: r('UserRef'),
    createdAt: time,
    updatedAt: time,
    seq: { ...int, description: 'Sequence number of the newest event of this ticket.' },
  }),
  Step: obj({
    id: uuid,
    key: str,
    name: r('LocalizedText'),
    position: { type: 'integer' },
    status: enumOf(STEP_STATUSES),
    mode: enumOf(STAGE_MODES),
    quorum: { type: 'integer', nullable: true },
    round: int,
    skipReason: { ...enumOf(['condition', 'requester', 'rejected', 'withdrawn']), nullable: true },
    approvers: arrayOf(r('UserRef')),
    tasks: arrayOf(r('Task')),
    progress: obj({ approved: int, rejected: int, required: int, total: int }),
    decidedBy: nullable('UserRef'),
    decision: { ...enumOf(DECISIONS), nullable: true },
    decidedAt: { ...time, nullable: true },
    comment: { type: 'string', nullable: true },
  }),
  Task: obj({
    id: str,
    assignee: r('UserRef'),
    onBehalfOf: nullable('UserRef'),
    addedBy: nullable('UserRef'),
    status: enumOf(TASK_STATUSES),
    decidedAt: { ...time, nullable: true },
    comment: { type: 'string', nullable: true },
    order: int,
    auto: { ...enumOf(['requester', 'dedupe']), nullable: true },
  }),
  RuleNote: obj({ rule: str, stageKey: { ...str, nullable: true }, user: nullable('UserRef'), detail: { ...str, nullable: true } }),
  RoutePreview: obj({ flow: r('Flow'), status: enumOf(TICKET_STATUSES), notes: arrayOf(r('RuleNote')) }),
  Delegation: obj({ delegate: r('UserRef'), from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } }),
  DirectoryEntry: { allOf: [r('UserRef'), obj({ role: enumOf(ROLES) })] },
  Flow: obj({ steps: arrayOf(r('Step')) }),
  TicketDetail: obj({
    ticket: r('Ticket'),
    flow: r('Flow'),
    seq: int,
    actionableStepIds: { ...arrayOf(uuid), description: 'Step ids the caller may decide right now.' },
  }),
  TicketSummary: obj({ ticket: r('Ticket'), activeStep: nullable('Step') }),
  TicketEvent: obj(
    {
      ticketId: uuid,
      seq: int,
      type: enumOf(TICKET_EVENT_TYPES),
      at: time,
      actor: nullable('UserRef'),
      onBehalfOf: nullable('UserRef'),
      comment: { type: 'string', nullable: true },
      notes: arrayOf(r('RuleNote')),
      before: {
        type: 'object',
        nullable: true,
        properties: { status: enumOf(TICKET_STATUSES), steps: arrayOf(obj({ id: uuid, status: enumOf(STEP_STATUSES) })) },
      },
      ticket: r('Ticket'),
      flow: r('Flow'),
    },
    'One row of the ordered event log, with the whole snapshot after the event.',
  ),
  Stats: obj({
    ticketsByStatus: obj(Object.fromEntries(TICKET_STATUSES.map((s) => [s, int]))),
    decisionsPerMinute: arrayOf(obj({ minute: time, count: int })),
    at: time,
  }),
  BulkDecisionResponse: obj({
    succeeded: int,
    failed: int,
    results: arrayOf({
      type: 'object',
      required: ['ticketId', 'stepId', 'ok'],
      properties: {
        ticketId: uuid,
        stepId: uuid,
        ok: { type: 'boolean' },
        status: { ...enumOf(TICKET_STATUSES), description: 'When ok.' },
        statusCode: { type: 'integer', description: 'When not ok: the status a single decision would have had.' },
        message: { ...str, description: 'When not ok: why.' },
      },
    }),
  }),
  Health: obj({ status: enumOf(['ok']), database: enumOf(['up']) }),
  ClientConfig: obj({ gojsLicenseKey: str }),
} satisfies Record<string, SchemaObject>;
export type DtoName = keyof typeof DTOS;
export const ref = (name: DtoName): ReferenceObject => r(name);

/** Every component schema of the document. */
export function componentSchemas(): Record<string, SchemaObject> {
  const requests = Object.fromEntries([...REQUEST_BODIES].map(([schema, name]) => [name, openApiSchemaOf(schema)]));
  return { ...requests, ...DTOS };
}
