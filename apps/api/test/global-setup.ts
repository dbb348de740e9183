/**
 * One Postgres for the whole run: TEST_DATABASE_URL (a server where we may CREATE
 * DATABASE) or, without it, an embedded one in a temporary folder. Each test file then
 * gets its own database on it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('adminDatabaseUrl', given);
    return;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'signoff-test-pg-'));
  const port = 55_000 + Math.floor(Math.random() * 5_000);
  const pg = await startEmbeddedPostgres(dir, port);
  project.provide('adminDatabaseUrl', pg.url);
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
