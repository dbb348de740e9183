/**
 * Test harness: a fresh migrated database per test file on the run's one Postgres, and
 * the real app (HTTP + Socket.IO) listening on a random loopback port.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import type { DataSource } from 'typeorm';
import { inject } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '@signoff/contracts';
import { createApp } from '../src/bootstrap';
import { loadConfig, type AppConfig } from '../src/config/config';
import { openMigratedDataSource } from '../src/database/data-source';
import { seedDemo } from '../src/seed/demo-seed';
import { TemplatesRepository } from '../src/templates/templates.repository';
import { UsersRepository } from '../src/users/users.repository';

export const DEMO_PASSWORD = 'signoff-demo';

/** Creates an empty database and returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `signoff_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by createTestDatabase, whoever is still connected to it. */
export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^signoff_t_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  const admin = new Client({ connectionString: inject('adminDatabaseUrl') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** A migrated database with a DataSource open on it; seeded with the demo data unless told not to. */
export async function openTestDatabase(options: { seed?: boolean } = {}): Promise<{ url: string; dataSource: DataSource }> {
  const url = await createTestDatabase();
  const { dataSource } = await openMigratedDataSource(url, 60);
  if (options.seed !== false) await seedDemo(new UsersRepository(dataSource), new TemplatesRepository(dataSource), DEMO_PASSWORD);
  return { url, dataSource };
}

export interface TestApp {
  app: INestApplication;
  dataSource: DataSource;
  config: AppConfig;
  baseUrl: string;
  /** Signs in a demo user by the local part of the email ("alice") and returns the bearer token. */
  login(who: string): Promise<string>;
  request(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  socket(
    token: string | undefined,
    options?: { origin?: string; cookie?: string; transports?: Array<'websocket' | 'polling'> },
  ): TypedClient;
  close(): Promise<void>;
}

export type TypedClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { url, dataSource } = await openTestDatabase();
  const config = loadConfig({ DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'error', LOGIN_RATE_LIMIT: '1000', ...env });
  const app = await createApp(config, dataSource);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const sockets: TypedClient[] = [];

  const request: TestApp['request'] = async (method, path, token, body, headers = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed };
  };

  return {
    app,
    dataSource,
    config,
    baseUrl,
    request,
    async login(who) {
      const res = await request('POST', '/api/auth/login', undefined, { email: `${who}@signoff.local`, password: DEMO_PASSWORD });
      if (res.status !== 200) throw new Error(`login ${who} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
    socket(token, options = {}) {
      const client: TypedClient = io(baseUrl, {
        auth: token ? { token } : {},
        transports: options.transports ?? ['websocket'],
        extraHeaders: { ...(options.origin ? { origin: options.origin } : {}), ...(options.cookie ? { cookie: options.cookie } : {}) },
        reconnection: false,
        forceNew: true,
      });
      sockets.push(client);
      return client;
    },
    async close() {
      sockets.forEach((s) => s.disconnect());
      await app.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropTestDatabase(url);
    },
  };
}

/** Resolves with the next `event` on the socket, or rejects after `ms`. */
export function nextEvent<T>(socket: TypedClient, event: keyof ServerToClientEvents, ms = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    (socket as unknown as Socket).once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

export function connected(socket: TypedClient, ms = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket did not connect')), ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
