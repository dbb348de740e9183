// Starts the built app for the browser tests on its own fresh database: a new database
// on TEST_DATABASE_URL's server, or an embedded Postgres in a temporary folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const env = { ...process.env, PORT: process.env.E2E_PORT ?? '3310', HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT: '1000' };
let dataDir;
let dropDatabase = async () => {};
if (process.env.TEST_DATABASE_URL) {
  const name = `signoff_e2e_${Date.now()}`;
  dropDatabase = async () => {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  };
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(process.env.TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
} else {
  delete env.DATABASE_URL;
  dataDir = mkdtempSync(path.join(tmpdir(), 'signoff-e2e-'));
  env.DATA_DIR = dataDir;
  env.EMBEDDED_PG_PORT = String(56_000 + Math.floor(Math.random() * 3_000));
}

const server = spawn(process.execPath, ['apps/api/dist/main.js'], { env, stdio: 'inherit' });
const stop = (signal) => server.kill(signal);
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
server.on('exit', async (code) => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await dropDatabase().catch(() => undefined);
  process.exit(code ?? 0);
});
