/** `npm start`: database (embedded unless DATABASE_URL), migrations, demo seed, API + web on one port. */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/config';
import { createApp } from './bootstrap';
import { openDatabase } from './database/open-database';
import { seedDemo } from './seed/demo-seed';
import { TemplatesRepository } from './templates/templates.repository';
import { UsersRepository } from './users/users.repository';

async function main() {
  const logger = new Logger('Signoff');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  const database = await openDatabase(config);
  const seeded = config.SEED_DEMO
    ? await seedDemo(new UsersRepository(database.dataSource), new TemplatesRepository(database.dataSource), config.DEMO_PASSWORD)
    : { users: [], templates: [] };
  const app = await createApp(config, database.dataSource);
  await app.listen(config.PORT, config.HOST);
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;

  const lines = [
    `Signoff is running at ${url}`,
    `Database: ${database.embedded ? `embedded Postgres in ${config.DATA_DIR}` : 'DATABASE_URL'}`,
  ];
  if (seeded.users.length > 0) {
    lines.push(`Demo sign-ins (password "${config.DEMO_PASSWORD}"):`);
    for (const u of seeded.users) lines.push(`  ${u.email.padEnd(24)} ${u.role.padEnd(9)} ${u.name}`);
  } else {
    lines.push('Sign in with your account (demo users, if seeded earlier, use the DEMO_PASSWORD).');
  }
  console.log(`\n${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping Signoff…`);
    await app.close().catch((err: unknown) => logger.error(String(err)));
    await database.close().catch((err: unknown) => logger.error(String(err)));
    console.log('Signoff stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`Signoff failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
