/**
 * The TypeORM DataSource and the migration runner. Migrations are the ordered SQL files
 * in prisma-free-migrations/, wrapped as TypeORM migrations; schema sync is never used.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ENTITIES } from './entities';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../../../prisma-free-migrations');
/** Any fixed number: every instance takes the same advisory lock while migrating. */
const MIGRATION_LOCK = 727_001;

type MigrationClass = new () => MigrationInterface;

/** `0001_init.sql` becomes a migration named `Init1700000000001` (TypeORM wants a trailing timestamp). */
export function sqlMigrations(dir = MIGRATIONS_DIR): MigrationClass[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const [, number, slug] = /^(\d{4})_(.+)\.sql$/.exec(file)!;
      const sql = readFileSync(path.join(dir, file), 'utf8');
      const name = `${slug.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}${1_700_000_000_000 + Number(number)}`;
      return class implements MigrationInterface {
        name = name;
        async up(runner: QueryRunner) {
          await runner.query(sql);
        }
        async down() {
          throw new Error(`migration ${file} is forward-only`);
        }
      };
    });
}

export const APP_ROLE = 'signoff_app';

export function createDataSource(url: string, poolSize = 20, role?: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: sqlMigrations(),
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5_000, ...(role ? { options: `-c role=${role}` } : {}) },
  });
}

/** Applies pending migrations once, even when several instances boot together. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Migrates as the connecting user, then returns a DataSource that acts as the app role
 * (see 0002_app_role.sql) when that role exists and the user may take it.
 */
export async function openMigratedDataSource(url: string, poolSize = 20): Promise<{ dataSource: DataSource; role: string | null }> {
  const owner = createDataSource(url, 2);
  await owner.initialize();
  const canTakeRole = await (async () => {
    try {
      await migrate(owner);
      const sql = `SELECT 1 FROM pg_roles WHERE rolname = $1 AND pg_has_role(current_user, oid, 'MEMBER')`;
      return ((await owner.query(sql, [APP_ROLE])) as unknown[]).length > 0;
    } finally {
      await owner.destroy();
    }
  })();
  const dataSource = createDataSource(url, poolSize, canTakeRole ? APP_ROLE : undefined);
  await dataSource.initialize();
  return { dataSource, role: canTakeRole ? APP_ROLE : null };
}
