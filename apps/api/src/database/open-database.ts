/**
 * Opens the database the configuration names, or starts the embedded one, and brings
 * its schema up to date. Used by the server and the CLI alike.
 */
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { openMigratedDataSource } from './data-source';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';

export interface OpenDatabase {
  dataSource: DataSource;
  embedded: RunningPostgres | null;
  close(): Promise<void>;
}

export async function openDatabase(config: Pick<AppConfig, 'DATABASE_URL' | 'DATA_DIR' | 'EMBEDDED_PG_PORT'>): Promise<OpenDatabase> {
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.DATA_DIR, config.EMBEDDED_PG_PORT);
  let dataSource: DataSource;
  try {
    ({ dataSource } = await openMigratedDataSource(config.DATABASE_URL ?? embedded!.url));
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  return {
    dataSource,
    embedded,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
