import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxChangedDto, TicketDetailDto, TicketEventDto, WatchAck } from '@signoff/contracts';
import { connected, nextEvent, startTestApp, type TestApp, type TypedClient } from './harness';

let t: TestApp;
let alice: string;
let bob: string;
let carol: string;
let finance: string;

const release = {
  templateKey: 'release',
  title: 'Ship 2.4',
  fields: { service: 'billing', version: '2.4.0', releaseDate: '2026-12-01', risk: 'low' },
};

beforeAll(async () => {
  t = await startTestApp();
  [alice, bob, carol, finance] = await Promise.all(['alice', 'bob', 'carol', 'finance'].map((u) => t.login(u)));
});
afterAll(() => t?.close());

const submit = async (): Promise<TicketDetailDto> => (await t.request('POST', '/api/tickets', alice, release)).body;
const decide = (token: string, detail: TicketDetailDto, position: number, decision = 'approve') =>
  t.request('POST', `/api/tickets/${detail.ticket.id}/decisions`, token, { stepId: detail.flow.steps[position].id, decision });
const watch = (socket: TypedClient, ticketId: string, afterSeq?: number) =>
  new Promise<WatchAck>((resolve) => socket.emit('ticket:watch', { ticketId, ...(afterSeq === undefined ? {} : { afterSeq }) }, resolve));

/** Collects ticket:event payloads as they arrive. */
function collect(socket: TypedClient): TicketEventDto[] {
  const seen: TicketEventDto[] = [];
  socket.on('ticket:event', (e) => seen.push(e));
  return seen;
}
const waitFor = async (predicate: () => boolean, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the handshake', () => {
  it('refuses a connection without a session', async () => {
    await expect(connected(t.socket(undefined))).rejects.toThrow(/unauthorized/);
  });

  it('refuses a connection with a revoked token', async () => {
    const token = await t.login('carol');
    await t.request('POST', '/api/auth/logout', token);
    await expect(connected(t.socket(token))).rejects.toThrow(/unauthorized/);
  });

  it('refuses a browser Origin that is not allowed, on WebSocket and on polling', async () => {
    await expect(connected(t.socket(alice, { origin: 'http://evil.example' }))).rejects.toThrow();
    await expect(connected(t.socket(alice, { origin: 'http://evil.example', transports: ['polling'] }))).rejects.toThrow();
  });

  it('accepts an allowed Origin with the session cookie', async () => {
    const allowed = t.config.ALLOWED_ORIGINS[0];
    const socket = t.socket(undefined, { origin: allowed, cookie: `signoff_session=${alice}`, transports: ['polling'] });
    await connected(socket);
    expect(socket.connected).toBe(true);
  });
});

describe('watching a ticket', () => {
  it('delivers the decision to an authorised watcher with its seq, after commit', async () => {
    const detail = await submit();
    const socket = t.socket(alice);
    await connected(socket);
    expect(await watch(socket, detail.ticket.id)).toEqual({ ok: true, seq: 1 });
    const event = nextEvent<TicketEventDto>(socket, 'ticket:event');
    expect((await decide(bob, detail, 0)).status).toBe(200);
    const received = await event;
    expect(received).toMatchObject({ ticketId: detail.ticket.id, seq: 2, type: 'step.approved', actor: { email: 'bob@signoff.local' } });
    expect(received.flow.steps.map((s) => s.status)).toEqual(['approved', 'active', 'waiting']);
    const [{ status }] = await t.dataSource.query('SELECT status FROM ticket_steps WHERE id = $1', [detail.flow.steps[0].id]);
    expect(status).toBe('approved');
  });

  it('refuses an unauthorised user’s watch and sends them nothing', async () => {
    const detail = await submit();
    const stranger = t.socket(carol);
    await connected(stranger);
    const seen = collect(stranger);
    const ack = await watch(stranger, detail.ticket.id);
    expect(ack.ok).toBe(false);
    if (!ack.ok) expect(ack.error).toMatch(/forbidden/);
    const friend = t.socket(alice);
    await connected(friend);
    await watch(friend, detail.ticket.id);
    const delivered = nextEvent(friend, 'ticket:event');
    await decide(bob, detail, 0);
    await delivered;
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([]);
  });

  it('answers a malformed watch with an error ack naming the field', async () => {
    const socket = t.socket(alice);
    await connected(socket);
    const ack = await new Promise<WatchAck>((resolve) => socket.emit('ticket:watch', { ticketId: 'nope', afterSeq: -2 } as never, resolve));
    expect(ack.ok).toBe(false);
    if (!ack.ok) {
      expect(ack.error).toContain('ticketId');
      expect(ack.error).toContain('afterSeq');
    }
  });

  it('replays exactly the missed events, in order, to a client that reconnects with afterSeq', async () => {
    const detail = await submit();
    const first = t.socket(alice);
    await connected(first);
    await watch(first, detail.ticket.id);
    first.disconnect();
    // Three decisions while the requester is away: code review, QA, then ops.
    expect((await decide(bob, detail, 0)).status).toBe(200);
    expect((await decide(await t.login('qa'), detail, 1)).status).toBe(200);
    expect((await decide(await t.login('ops'), detail, 2)).status).toBe(200);

    const again = t.socket(alice);
    await connected(again);
    const seen = collect(again);
    expect(await watch(again, detail.ticket.id, 2)).toEqual({ ok: true, seq: 4 });
    await waitFor(() => seen.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.map((e) => [e.seq, e.type])).toEqual([
      [3, 'step.approved'],
      [4, 'step.approved'],
    ]);
    expect(seen[1].ticket.status).toBe('approved');
  });

  it('stops delivering after ticket:unwatch', async () => {
    const detail = await submit();
    const socket = t.socket(alice);
    await connected(socket);
    await watch(socket, detail.ticket.id);
    const seen = collect(socket);
    await new Promise<void>((resolve) => socket.emit('ticket:unwatch', { ticketId: detail.ticket.id }, () => resolve()));
    await decide(bob, detail, 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([]);
  });
});

describe('the inbox', () => {
  it('tells the next approver their new to-do count when a stage moves to them', async () => {
    const detail = (await (
      await t.request('POST', '/api/tickets', alice, {
        templateKey: 'expense',
        title: 'Lunch',
        fields: { amount: 80, spentOn: '2026-11-21', category: 'meals' },
      })
    ).body) as TicketDetailDto;
    const socket = t.socket(finance);
    await connected(socket);
    const inbox = nextEvent<InboxChangedDto>(socket, 'inbox:changed');
    await decide(bob, detail, 0);
    const { count } = await inbox;
    const todo = await t.request('GET', '/api/tickets?box=todo', finance);
    expect(count).toBe(todo.body.length);
    expect(count).toBeGreaterThanOrEqual(1);
  });
});
