/**
 * Template administration over the API: publishing versions, pinning running tickets to
 * the version they started with, and refusing invalid definitions with every problem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemplateDef, TemplateDto, TicketDetailDto } from '@signoff/contracts';
import { EXPENSE_TEMPLATE } from '../src/seed/demo-templates';
import { startTestApp, type TestApp } from './harness';

let t: TestApp;
let admin: string;
let alice: string;
let bob: string;
let finance: string;
let director: string;

const EXPENSE_V2: TemplateDef = {
  ...EXPENSE_TEMPLATE,
  stages: [
    ...EXPENSE_TEMPLATE.stages,
    {
      key: 'director',
      name: { en: 'Director sign-off', zh: '总监签字' },
      mode: 'single',
      approver: { kind: 'user', email: 'director@signoff.local' },
    },
  ],
};

const expenseTicket = {
  templateKey: 'expense',
  title: 'Conference ticket',
  fields: { amount: 800, spentOn: '2026-11-20', category: 'travel' },
};

const stageKeys = (detail: TicketDetailDto) => detail.flow.steps.map((s) => s.key);

async function submit(): Promise<TicketDetailDto> {
  const res = await t.request('POST', '/api/tickets', alice, expenseTicket);
  expect(res.status).toBe(201);
  return res.body;
}

/** Approves the ticket's active step as `token` and returns the ticket afterwards. */
async function approveActive(ticketId: string, token: string): Promise<TicketDetailDto> {
  const before = (await t.request('GET', `/api/tickets/${ticketId}`, token)).body as TicketDetailDto;
  const step = before.flow.steps.find((s) => s.status === 'active');
  expect(step).toBeDefined();
  const res = await t.request('POST', `/api/tickets/${ticketId}/decisions`, token, { stepId: step!.id, decision: 'approve' });
  expect(res.status).toBe(200);
  return (await t.request('GET', `/api/tickets/${ticketId}`, token)).body;
}

async function versionCount(key: string): Promise<number> {
  const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM templates WHERE key = $1', [key]);
  return n;
}

beforeAll(async () => {
  t = await startTestApp();
  [admin, alice, bob, finance, director] = await Promise.all(['admin', 'alice', 'bob', 'finance', 'director'].map((u) => t.login(u)));
});
afterAll(() => t?.close());

describe('publishing a new version', () => {
  it('keeps a running ticket on the version it started with while new tickets use the new one', async () => {
    const running = await submit();
    expect(running.ticket.templateVersion).toBe(1);

    const published = await t.request('POST', '/api/templates', admin, EXPENSE_V2);
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ key: 'expense', version: 2, id: expect.any(String) });
    expect((published.body as TemplateDto).stages.map((s) => s.key)).toEqual(['manager', 'finance', 'director']);

    const fresh = await submit();
    expect(fresh.ticket.templateVersion).toBe(2);
    expect(stageKeys(fresh)).toEqual(['manager', 'finance', 'director']);

    expect(stageKeys(running)).toEqual(['manager', 'finance']);
    await approveActive(running.ticket.id, bob);
    const done = await approveActive(running.ticket.id, finance);
    expect(done.ticket).toMatchObject({ status: 'approved', templateVersion: 1 });
    expect(stageKeys(done)).toEqual(['manager', 'finance']);

    await approveActive(fresh.ticket.id, bob);
    const waiting = await approveActive(fresh.ticket.id, finance);
    expect(waiting.ticket.status).toBe('pending');
    expect(waiting.flow.steps.find((s) => s.status === 'active')?.key).toBe('director');
    expect((await approveActive(fresh.ticket.id, director)).ticket.status).toBe('approved');
  });

  it('serves the latest version to every signed-in user, in the list and by key', async () => {
    const one = await t.request('GET', '/api/templates/expense', alice);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ key: 'expense', version: 2 });
    const list = await t.request('GET', '/api/templates', alice);
    expect(list.body.find((x: TemplateDto) => x.key === 'expense')).toMatchObject({ version: 2 });
  });

  it('answers 404 for a template key that does not exist', async () => {
    expect((await t.request('GET', '/api/templates/nope', alice)).status).toBe(404);
  });

  it('lists every version of a key, newest first', async () => {
    const res = await t.request('GET', '/api/templates/expense/versions', admin);
    expect(res.status).toBe(200);
    expect(res.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(res.body[0]).toEqual({ id: expect.any(String), key: 'expense', version: 2, createdAt: expect.any(String) });
    expect(Number.isNaN(Date.parse(res.body[0].createdAt))).toBe(false);
  });

  it('answers 404 for the versions of an unknown key', async () => {
    expect((await t.request('GET', '/api/templates/nope/versions', admin)).status).toBe(404);
  });

  it('creates a new template as version 1', async () => {
    const res = await t.request('POST', '/api/templates', admin, { ...EXPENSE_TEMPLATE, key: 'travel' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ key: 'travel', version: 1 });
  });
});

describe('who may manage templates', () => {
  it('refuses to publish for a non-admin with 403, writing nothing', async () => {
    const before = await versionCount('expense');
    for (const token of [alice, bob]) expect((await t.request('POST', '/api/templates', token, EXPENSE_V2)).status).toBe(403);
    expect(await versionCount('expense')).toBe(before);
  });

  it('refuses the version list to a non-admin with 403', async () => {
    expect((await t.request('GET', '/api/templates/expense/versions', alice)).status).toBe(403);
  });

  it('needs a session', async () => {
    expect((await t.request('POST', '/api/templates', undefined, EXPENSE_V2)).status).toBe(401);
    expect((await t.request('GET', '/api/templates/expense', undefined)).status).toBe(401);
  });
});

describe('refusing invalid definitions', () => {
  const base = (stages: TemplateDef['stages'], extra: Partial<TemplateDef> = {}): TemplateDef => ({
    ...EXPENSE_TEMPLATE,
    key: 'broken',
    stages,
    ...extra,
  });
  const single = (key: string, approver: TemplateDef['stages'][number]['approver'], extra = {}) => ({
    key,
    name: { en: key, zh: key },
    mode: 'single' as const,
    approver,
    ...extra,
  });

  async function refused(definition: unknown): Promise<string> {
    const res = await t.request('POST', '/api/templates', admin, definition);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(await versionCount('broken')).toBe(0);
    return res.body.message as string;
  }

  it('lists every problem of a definition at once, each with its path, and publishes nothing', async () => {
    // Nobody active has the role "requester" while this runs.
    await t.dataSource.query(`UPDATE users SET active = false WHERE role = 'requester'`);
    try {
      const message = await refused(
        base([
          single('manager', { kind: 'manager' }),
          single('big', { kind: 'user', email: 'finance@signoff.local' }, { condition: 'amout > 100' }),
          single('never', { kind: 'user', email: 'finance@signoff.local' }, { condition: '1 > 2' }),
          single('ghost', { kind: 'user', email: 'ghost@signoff.local' }),
          single('peers', { kind: 'role', role: 'requester' }),
          single('manager', { kind: 'user', email: 'qa@signoff.local' }),
          {
            key: 'committee',
            name: { en: 'Committee', zh: '委员会' },
            mode: 'quorum',
            quorum: 3,
            approver: { kind: 'users', emails: ['finance@signoff.local', 'director@signoff.local'] },
          },
        ]),
      );
      const problems = message.split('; ');
      expect(problems).toEqual(
        expect.arrayContaining([
          'stages[1].condition: unknown field "amout" at position 0',
          'stages[2].condition: is always false, so this stage can never run',
          'stages[3].approver.email: no user with email ghost@signoff.local',
          'stages[4].approver.role: no active user has the role requester',
          'stages[5].key: duplicate key "manager"',
          'stages[6].quorum: needs 3 approvals but the approver rule gives at most 2',
        ]),
      );
      expect(problems).toContain(
        'stages[3].approver: no one can approve this stage: the rule resolves no active user and there is no fallback (stage or template)',
      );
    } finally {
      await t.dataSource.query(`UPDATE users SET active = true WHERE role = 'requester'`);
    }
  });

  it('accepts a stage whose approver resolves nobody when a fallback does, but still names the unknown user', async () => {
    const message = await refused(
      base([single('ghost', { kind: 'user', email: 'ghost@signoff.local' })], { fallback: { kind: 'role', role: 'admin' } }),
    );
    expect(message).toBe('stages[0].approver.email: no user with email ghost@signoff.local');
  });

  it('names a disabled user, in approvers and in cc', async () => {
    await t.dataSource.query(`UPDATE users SET active = false WHERE email = 'qa@signoff.local'`);
    try {
      const message = await refused(
        base([single('qa', { kind: 'users', emails: ['qa@signoff.local', 'ops@signoff.local'] })], {
          cc: { atFinish: ['qa@signoff.local', 'nobody@x.example'] },
        }),
      );
      expect(message.split('; ')).toEqual([
        'stages[0].approver.emails[0]: qa@signoff.local is disabled',
        'cc.atFinish[0]: qa@signoff.local is disabled',
        'cc.atFinish[1]: no user with email nobody@x.example',
      ]);
    } finally {
      await t.dataSource.query(`UPDATE users SET active = true WHERE email = 'qa@signoff.local'`);
    }
  });

  it('reports structural problems with the same kind of paths', async () => {
    const message = await refused({
      ...base([single('a', { kind: 'user', email: 'not-an-email' })]),
      stages: [{ ...single('a', { kind: 'user', email: 'not-an-email' }), mode: 'sometimes', colour: 'red' }],
      name: { en: 'Broken' },
    });
    const problems = message.split('; ');
    expect(problems).toEqual(
      expect.arrayContaining([
        'name.zh: is required',
        'stages[0]: unknown field(s) colour',
        expect.stringMatching(/^stages\[0\]\.mode: must be one of single, all, any, sequential, quorum$/),
        'stages[0].approver.email: must be an email address',
      ]),
    );
  });

  it('refuses a body that is not a template', async () => {
    expect(await refused([1, 2])).toMatch(/^definition: /);
  });
});
