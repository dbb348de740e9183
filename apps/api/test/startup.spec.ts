/**
 * `npm start` exactly as a person runs it: no DATABASE_URL, a fresh data folder. It must
 * reach /api/health, stop cleanly on Ctrl-C (no orphaned Postgres), and reuse the data
 * on the next start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const started: ChildProcess[] = [];
let dataDir = '';

function startApp(env: Record<string, string>) {
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', ...env },
    detached: true, // its own process group, so we can press "Ctrl-C" on all of it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  started.push(child);
  return { child, output: () => output };
}

async function waitForHealth(url: string, app: ReturnType<typeof startApp>, ms = 180_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (app.child.exitCode !== null) throw new Error(`app exited early:\n${app.output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return (await res.json()) as unknown;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no health within ${ms} ms:\n${app.output()}`);
}

/** Ctrl-C in a terminal: SIGINT to the whole process group. Resolves once every process holding its output has gone. */
function pressCtrlC(app: ReturnType<typeof startApp>): Promise<string> {
  return new Promise((resolve) => {
    app.child.once('close', () => resolve(app.output()));
    process.kill(-app.child.pid!, 'SIGINT');
  });
}

const portIsClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

afterAll(async () => {
  for (const child of started) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('npm start without DATABASE_URL', () => {
  const port = 34_000 + Math.floor(Math.random() * 1_000);
  const pgPort = 57_000 + Math.floor(Math.random() * 1_000);
  const env = () => ({ PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: path.join(dataDir, 'data') });

  it('runs an embedded Postgres in a fresh data folder, seeds demo users and answers /api/health', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'signoff-start-'));
    const app = startApp(env());
    expect(await waitForHealth(`http://127.0.0.1:${port}/api/health`, app)).toEqual({ status: 'ok', database: 'up' });
    expect(app.output()).toContain(`Signoff is running at http://127.0.0.1:${port}`);
    expect(app.output()).toContain('alice@signoff.local');
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@signoff.local', password: 'signoff-demo' }),
    });
    expect(login.status).toBe(200);
    const page = await fetch(`http://127.0.0.1:${port}/tickets/anything`);
    expect(await page.text()).toContain('<div id="root">');

    expect(await pressCtrlC(app)).toContain('Signoff stopped.');
    expect(existsSync(path.join(dataDir, 'data', 'postgres', 'postmaster.pid'))).toBe(false);
    expect(await portIsClosed(pgPort)).toBe(true);
  });

  it('reuses the data on a second start without seeding again', async () => {
    const app = startApp(env());
    await waitForHealth(`http://127.0.0.1:${port}/api/health`, app);
    expect(app.output()).not.toContain('Demo sign-ins');
    expect(app.output()).not.toContain('initialising a new cluster');
    expect(await pressCtrlC(app)).toContain('Signoff stopped.');
    expect(await portIsClosed(pgPort)).toBe(true);
  });

  it('refuses a bad configuration value with a message naming it', async () => {
    const app = startApp({ ...env(), PORT: 'eighty' });
    const code = await new Promise<number | null>((resolve) => app.child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(app.output()).toMatch(/PORT: must be a port number/);
  });
});
