/**
 * Degraded modes, with real processes and the test's own Redis and Postgres (the machine's
 * shared ones are never stopped): Redis going away must not stop decisions or local
 * delivery, and Postgres going away must give clear 503s and heal without a restart.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, TicketDetailDto, TicketEventDto } from '@signoff/contracts';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/database/embedded-postgres';
import { createTestDatabase, dropTestDatabase } from './harness';
import {
  closeSockets,
  connected,
  connectSocket,
  freePort,
  killHard,
  login,
  PORT_RANGES,
  removeDir,
  request,
  startApi,
  startRedis,
  stopAll,
  TicketFollower,
  waitUntil,
  type ApiInstance,
  type RedisServer,
  type TypedClient,
} from './processes';

const expense = (title: string) => ({ templateKey: 'expense', title, fields: { amount: 80, spentOn: '2026-11-21', category: 'meals' } });

function nextEvent(socket: TypedClient, ms = 5_000): Promise<TicketEventDto> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ticket:event within ${ms} ms`)), ms);
    socket.once('ticket:event', (payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

afterAll(async () => {
  closeSockets();
  await stopAll();
});

describe('Redis down', () => {
  let redis: RedisServer | null = null;
  let redisPort = 0;
  let databaseUrl = '';
  let db: Client;
  let a: ApiInstance;
  let b: ApiInstance;
  const tokens: Record<string, string> = {};

  /** Instances subscribed to the adapter's request channel on our Redis (0 while it is down). */
  async function subscribedInstances(): Promise<number> {
    const client = createClient({ url: `redis://127.0.0.1:${redisPort}`, socket: { reconnectStrategy: false, connectTimeout: 1_000 } });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const counts = await client.pubSubNumSub('socket.io-request#/#');
      return Number(counts['socket.io-request#/#'] ?? 0);
    } catch {
      return 0;
    } finally {
      if (client.isOpen) await client.quit().catch(() => undefined);
    }
  }

  async function redisUp() {
    if (redis && !redis.child.exited()) return;
    redis = await startRedis(redisPort || undefined);
    redisPort = redis.port;
    await waitUntil('both instances subscribed through Redis again', async () => (await subscribedInstances()) === 2, 15_000, 200);
  }

  async function redisDown() {
    if (redis) await killHard(redis.child);
  }

  const submit = async () =>
    (await request(a.baseUrl, 'POST', '/api/tickets', { token: tokens.alice, body: expense('Redis outage') })).body as TicketDetailDto;
  const decide = (baseUrl: string, detail: TicketDetailDto, position: number, who: string) =>
    request(baseUrl, 'POST', `/api/tickets/${detail.ticket.id}/decisions`, {
      token: tokens[who],
      body: { stepId: detail.flow.steps[position].id, decision: 'approve' },
    });

  beforeAll(async () => {
    redis = await startRedis();
    redisPort = redis.port;
    databaseUrl = await createTestDatabase();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    a = await startApi({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url, SEED_DEMO: 'true' });
    b = await startApi({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url, SEED_DEMO: 'false' });
    await waitUntil('both instances subscribed through Redis', async () => (await subscribedInstances()) === 2, 15_000, 200);
    for (const who of ['alice', 'bob', 'finance']) tokens[who] = await login(a.baseUrl, who);
  });

  afterAll(async () => {
    for (const instance of [a, b]) if (instance?.child.exited()) console.error(`${instance.child.name} died:\n${instance.child.output()}`);
    for (const child of [a?.child, b?.child, redis?.child]) if (child) await killHard(child);
    await db?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it('still commits decisions and delivers them to watchers on the same instance while Redis is down', async () => {
    await redisUp();
    const detail = await submit();
    const local = connectSocket(a.baseUrl, tokens.alice);
    await connected(local);
    const follower = new TicketFollower(local, detail.ticket.id);
    expect(await follower.start(0)).toEqual({ ok: true, seq: 1 });

    await redisDown();
    const event = nextEvent(local);
    expect((await decide(a.baseUrl, detail, 0, 'bob')).status).toBe(200);
    expect(await event).toMatchObject({ seq: 2, type: 'step.approved' });
    const { rows } = await db.query('SELECT status FROM ticket_steps WHERE id = $1', [detail.flow.steps[0].id]);
    expect(rows[0].status).toBe('approved');
    expect((await request(a.baseUrl, 'GET', '/api/health')).status).toBe(200);
    expect(a.child.exited()).toBe(false);
    expect(b.child.exited()).toBe(false);
  });

  it('reconnects the adapter when Redis returns, and a watcher on the other instance resyncs to the full state', async () => {
    await redisUp();
    const detail = await submit();
    const remote = connectSocket(b.baseUrl, tokens.alice);
    await connected(remote);
    const follower = new TicketFollower(remote, detail.ticket.id);
    expect(await follower.start(0)).toEqual({ ok: true, seq: 1 });

    await redisDown();
    expect((await decide(a.baseUrl, detail, 0, 'bob')).status).toBe(200);
    await redisUp(); // waits until both instances have resubscribed

    // The client's resync (a watch from its lastSeq) fills what Redis could not carry…
    await follower.resync();
    await waitUntil('the missed event is replayed', () => follower.lastSeq === 2, 5_000);
    // …and live events cross instances through Redis again.
    const live = nextEvent(remote);
    expect((await decide(a.baseUrl, detail, 1, 'finance')).status).toBe(200);
    expect(await live).toMatchObject({ seq: 3, type: 'step.approved' });
    await waitUntil('the live event is applied', () => follower.lastSeq === 3, 5_000);

    const { rows } = await db.query<{ seq: number; type: string }>(
      'SELECT seq, type FROM ticket_events WHERE ticket_id = $1 ORDER BY seq',
      [detail.ticket.id],
    );
    expect(follower.applied.map((e) => ({ seq: e.seq, type: e.type }))).toEqual(rows);
    const snapshot = (await request(b.baseUrl, 'GET', `/api/tickets/${detail.ticket.id}`, { token: tokens.alice })).body as TicketDetailDto;
    expect(follower.applied.at(-1)!.ticket).toEqual(snapshot.ticket);
    expect(follower.applied.at(-1)!.flow).toEqual(snapshot.flow);
    expect(snapshot.ticket.status).toBe('approved');
    expect([a.child.exited(), b.child.exited()]).toEqual([false, false]);
  });
});

describe('Postgres down', () => {
  let dataDir = '';
  let pgPort = 0;
  let pg: RunningPostgres | null = null;
  let api: ApiInstance;
  let alice = '';
  let bob = '';
  let detail: TicketDetailDto;

  async function postgresDown() {
    const running = pg;
    pg = null;
    await running?.stop();
  }
  async function postgresUp() {
    pg ??= await startEmbeddedPostgres(dataDir, pgPort);
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'signoff-degraded-pg-'));
    pgPort = await freePort(...PORT_RANGES.postgres);
    await postgresUp();
    api = await startApi({ DATABASE_URL: pg!.url, SEED_DEMO: 'true' });
    alice = await login(api.baseUrl, 'alice');
    bob = await login(api.baseUrl, 'bob');
    detail = (await request(api.baseUrl, 'POST', '/api/tickets', { token: alice, body: expense('Postgres outage') }))
      .body as TicketDetailDto;
    expect(detail.ticket.seq).toBe(1);
  });

  afterAll(async () => {
    await killHard(api.child).catch(() => undefined);
    await postgresDown();
    await removeDir(dataDir);
  });

  it('answers 503 {statusCode, error, message} on health, reads and decisions while Postgres is down', async () => {
    await postgresDown();
    const replies = [
      await request(api.baseUrl, 'GET', '/api/health'),
      await request(api.baseUrl, 'GET', `/api/tickets/${detail.ticket.id}`, { token: alice }),
      await request(api.baseUrl, 'POST', `/api/tickets/${detail.ticket.id}/decisions`, {
        token: bob,
        body: { stepId: detail.flow.steps[0].id, decision: 'approve' },
      }),
    ];
    for (const reply of replies) {
      expect(reply.status).toBe(503);
      const body = reply.body as ApiErrorBody;
      expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
      expect(body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect(body.message).toMatch(/database is unavailable/i);
    }
    expect(api.child.exited()).toBe(false);
  });

  it('answers 503, never 500, to requests in flight while Postgres shuts down', async () => {
    await postgresUp();
    await waitUntil('health is up', async () => (await request(api.baseUrl, 'GET', '/api/health')).status === 200, 20_000, 200);
    const statuses = new Map<number, number>();
    let running = true;
    const hammer = async () => {
      while (running) {
        const { status } = await request(api.baseUrl, 'GET', '/api/tickets?box=mine', { token: alice });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const clients = Array.from({ length: 6 }, hammer);
    await new Promise((r) => setTimeout(r, 200));
    await postgresDown(); // a fast shutdown: sessions are terminated mid-query
    await new Promise((r) => setTimeout(r, 300));
    running = false;
    await Promise.all(clients);
    expect([...statuses.keys()].sort()).toEqual([200, 503]);
  });

  it('serves reads and decisions again when Postgres returns, without a restart', async () => {
    await postgresDown();
    expect((await request(api.baseUrl, 'GET', '/api/health')).status).toBe(503);
    const pid = api.child.process.pid;
    await postgresUp();
    await waitUntil('health is back', async () => (await request(api.baseUrl, 'GET', '/api/health')).status === 200, 20_000, 200);
    expect((await request(api.baseUrl, 'GET', '/api/health')).body).toEqual({ status: 'ok', database: 'up' });
    const read = await request(api.baseUrl, 'GET', `/api/tickets/${detail.ticket.id}`, { token: alice });
    expect(read.status).toBe(200);
    const decided = await request(api.baseUrl, 'POST', `/api/tickets/${detail.ticket.id}/decisions`, {
      token: bob,
      body: { stepId: detail.flow.steps[0].id, decision: 'approve' },
    });
    expect(decided.status).toBe(200);
    expect((decided.body as TicketDetailDto).ticket.seq).toBe(2);
    expect(api.child.exited()).toBe(false);
    expect(api.child.process.pid).toBe(pid);
  });
});
