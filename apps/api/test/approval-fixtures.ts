/** Shared helpers of the approval-semantics and approval-races specs. */
import { expect } from 'vitest';
import type { StageDef, StageMode, TemplateDef, TicketDetailDto, TicketEventDto } from '@signoff/contracts';
import type { TestApp } from './harness';

export const DEMO = ['alice', 'carol', 'bob', 'finance', 'qa', 'ops', 'director', 'itlead', 'admin'] as const;
export type Demo = (typeof DEMO)[number];

export const email = (who: string) => `${who}@signoff.local`;

/** Demo user ids by the local part of their email. */
export async function userIds(t: TestApp): Promise<Record<string, string>> {
  const rows = (await t.dataSource.query('SELECT id, email FROM users')) as Array<{ id: string; email: string }>;
  return Object.fromEntries(rows.map((r) => [r.email.split('@')[0], r.id]));
}

export async function tokens(t: TestApp): Promise<Record<Demo, string>> {
  const list = await Promise.all(DEMO.map((u) => t.login(u)));
  return Object.fromEntries(DEMO.map((u, i) => [u, list[i]])) as Record<Demo, string>;
}

/** A stage whose approvers are the given demo users (one: rule `user`, more: rule `users`). */
export function stage(key: string, mode: StageMode, who: string[], extra: Partial<StageDef> = {}): StageDef {
  return {
    key,
    name: { en: key, zh: key },
    mode,
    approver: who.length === 1 ? { kind: 'user', email: email(who[0]) } : { kind: 'users', emails: who.map(email) },
    ...extra,
  };
}

/**
 * Publishes a template straight into `templates` (version 1), bypassing any admin API.
 * It has one optional text field `note` and one optional number field `amount`.
 */
export async function publishTemplate(t: TestApp, key: string, stages: StageDef[], extra: Partial<TemplateDef> = {}): Promise<void> {
  const definition: TemplateDef = {
    key,
    name: { en: key, zh: key },
    description: { en: key, zh: key },
    fields: [
      { key: 'note', label: { en: 'Note', zh: '备注' }, type: 'text', required: false, maxLength: 200 },
      { key: 'amount', label: { en: 'Amount', zh: '金额' }, type: 'number', required: false, min: 0 },
    ],
    stages,
    ...extra,
  };
  await t.dataSource.query('INSERT INTO templates (key, version, definition) VALUES ($1, 1, $2::jsonb)', [key, JSON.stringify(definition)]);
}

export async function submit(
  t: TestApp,
  token: string,
  templateKey: string,
  fields: Record<string, unknown> = {},
  title = `${templateKey} ticket`,
): Promise<TicketDetailDto> {
  const res = await t.request('POST', '/api/tickets', token, { templateKey, title, fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as TicketDetailDto;
}

export const purchase = (department: string, amount: number) => ({ item: 'Laptop', amount, department });
export const contract = { counterparty: 'ACME', value: 100_000 };
export const expenseFields = { amount: 120, spentOn: '2026-11-20', category: 'travel' };

export async function count(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, params)) as Array<{ n: number }>;
  return n;
}

export const stepOf = (detail: Pick<TicketDetailDto, 'flow'>, key: string) => {
  const step = detail.flow.steps.find((s) => s.key === key);
  if (!step) throw new Error(`no step ${key}`);
  return step;
};

export const decide = (t: TestApp, token: string, ticketId: string, stepId: string, decision: 'approve' | 'reject', comment?: string) =>
  t.request('POST', `/api/tickets/${ticketId}/decisions`, token, { stepId, decision, ...(comment === undefined ? {} : { comment }) });

export async function getTicket(t: TestApp, token: string, ticketId: string): Promise<TicketDetailDto> {
  const res = await t.request('GET', `/api/tickets/${ticketId}`, token);
  expect(res.status).toBe(200);
  return res.body as TicketDetailDto;
}

export async function events(t: TestApp, token: string, ticketId: string): Promise<TicketEventDto[]> {
  const res = await t.request('GET', `/api/tickets/${ticketId}/events?after=0`, token);
  expect(res.status).toBe(200);
  return res.body as TicketEventDto[];
}

/** `[key, status]` of every step. */
export const statuses = (detail: Pick<TicketDetailDto, 'flow'>) => detail.flow.steps.map((s) => [s.key, s.status]);

/** `[assignee email local part, status]` of a step's tasks, in order. */
export const tasksOf = (detail: Pick<TicketDetailDto, 'flow'>, key: string) =>
  stepOf(detail, key).tasks.map((task) => [task.assignee.email.split('@')[0], task.status]);
