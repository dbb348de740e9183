/**
 * `npm run bench`: decision throughput and latency, and how long a committed decision
 * takes to reach a watching Socket.IO client. Runs the real app on loopback against
 * BENCH_DATABASE_URL (a fresh database it may write to) or an embedded Postgres in a
 * temporary folder. Bounded: BENCH_TICKETS tickets (default 300), concurrency 20.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import type { TicketDetailDto, TicketEventDto } from '@signoff/contracts';
import { createApp } from '../bootstrap';
import { loadConfig } from '../config/config';
import { openDatabase } from '../database/open-database';
import { seedDemo } from '../seed/demo-seed';
import { TemplatesRepository } from '../templates/templates.repository';
import { UsersRepository } from '../users/users.repository';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 300);
const CONCURRENCY = 20;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const summary = (name: string, ms: number[]) =>
  `${name.padEnd(34)} n=${ms.length}  p50=${percentile(ms, 50).toFixed(1)} ms  p95=${percentile(ms, 95).toFixed(1)} ms  max=${Math.max(...ms).toFixed(1)} ms`;

async function pool<T>(items: T[], worker: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await worker(items[next++]);
    }),
  );
}

async function main() {
  const dataDir = process.env.BENCH_DATABASE_URL ? null : mkdtempSync(path.join(tmpdir(), 'signoff-bench-'));
  const config = loadConfig({
    DATABASE_URL: process.env.BENCH_DATABASE_URL,
    DATA_DIR: dataDir ?? '.data',
    EMBEDDED_PG_PORT: String(58_000 + Math.floor(Math.random() * 1_000)),
    PORT: '0',
    LOG_LEVEL: 'error',
    LOGIN_RATE_LIMIT: '1000',
  } as NodeJS.ProcessEnv);
  const database = await openDatabase(config);
  await seedDemo(new UsersRepository(database.dataSource), new TemplatesRepository(database.dataSource), config.DEMO_PASSWORD);
  const app = await createApp(config, database.dataSource);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const call = async (method: string, url: string, token: string | null, body?: unknown) => {
    const res = await fetch(base + url, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const login = async (who: string) =>
    (
      (await call('POST', '/api/auth/login', null, { email: `${who}@signoff.local`, password: config.DEMO_PASSWORD })).body as {
        token: string;
      }
    ).token;
  const [alice, bob] = [await login('alice'), await login('bob')];

  const created: TicketDetailDto[] = [];
  const createMs: number[] = [];
  const startCreate = performance.now();
  await pool(
    Array.from({ length: TICKETS }, (_, i) => i),
    async (i) => {
      const t0 = performance.now();
      const res = await call('POST', '/api/tickets', alice, {
        templateKey: 'expense',
        title: `Bench ${i}`,
        fields: { amount: 10 + i, spentOn: '2026-11-20', category: 'meals' },
      });
      createMs.push(performance.now() - t0);
      created.push(res.body as TicketDetailDto);
    },
  );
  const createSecs = (performance.now() - startCreate) / 1000;

  // One watcher on every ticket: time from the decision's 200 being sent to the event arriving.
  const watcher = io(base, { auth: { token: alice }, transports: ['websocket'] });
  await new Promise<void>((resolve) => watcher.once('connect', () => resolve()));
  await Promise.all(created.map((d) => new Promise((resolve) => watcher.emit('ticket:watch', { ticketId: d.ticket.id }, resolve))));
  const sentAt = new Map<string, number>();
  const deliveryMs: number[] = [];
  watcher.on('ticket:event', (e: TicketEventDto) => {
    const t0 = sentAt.get(e.ticketId);
    if (t0 !== undefined && e.type === 'step.approved') deliveryMs.push(performance.now() - t0);
  });

  const decideMs: number[] = [];
  const startDecide = performance.now();
  await pool(created, async (d) => {
    const t0 = performance.now();
    sentAt.set(d.ticket.id, t0);
    const res = await call('POST', `/api/tickets/${d.ticket.id}/decisions`, bob, { stepId: d.flow.steps[0].id, decision: 'approve' });
    if (res.status !== 200) throw new Error(`decision failed: ${res.status}`);
    decideMs.push(performance.now() - t0);
  });
  const decideSecs = (performance.now() - startDecide) / 1000;
  const until = Date.now() + 10_000;
  while (deliveryMs.length < created.length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));

  console.log(
    `Signoff bench: ${TICKETS} tickets, concurrency ${CONCURRENCY}, ${process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'embedded Postgres'}`,
  );
  console.log(summary('POST /api/tickets', createMs), ` ${(TICKETS / createSecs).toFixed(0)}/s`);
  console.log(summary('POST …/decisions', decideMs), ` ${(TICKETS / decideSecs).toFixed(0)}/s`);
  console.log(summary('request sent → ticket:event received', deliveryMs), ` (${deliveryMs.length}/${TICKETS} delivered)`);
  console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);

  watcher.disconnect();
  await app.close();
  await database.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
