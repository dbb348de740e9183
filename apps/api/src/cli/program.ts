/**
 * The admin CLI as a commander program. The database and the output are injected, so
 * tests run it in-process against their own DataSource and read what it printed.
 */
import { Command, CommanderError } from 'commander';
import type { DataSource } from 'typeorm';
import { ROLES } from '@signoff/contracts';
import { SessionsRepository } from '../auth/sessions.repository';
import { TemplatesRepository } from '../templates/templates.repository';
import { TemplatesService } from '../templates/templates.service';
import { UsersRepository } from '../users/users.repository';
import { TemplatesAdmin, type TemplateImportResult, type TemplateListing } from './templates-admin';
import { describeLocation, USER_FILE_KEYS, type InvalidRow } from './user-file';
import { CliError } from './cli-error';
import { UsersAdmin, type ImportResult, type UserListing } from './users-admin';

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

export interface CliDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

export interface CliDeps {
  output: CliOutput;
  /** Opened only by commands that need it, and always closed when the command ends. */
  openDatabase(): Promise<CliDatabase>;
  /** Password hashing, replaceable in tests; argon2id by default. */
  hashPassword?: (password: string) => Promise<string>;
}

/** Runs one command line (without `node cli.js`) and resolves with the process exit code. */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const state = { exitCode: 0 };
  const program = buildProgram(deps, state);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (err) {
    // Commander has already printed its own message (usage errors, --help).
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      deps.output.err(`error: ${err.message}\n`);
      return err.exitCode;
    }
    deps.output.err(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

export function buildProgram(deps: CliDeps, state: { exitCode: number } = { exitCode: 0 }): Command {
  const { output } = deps;
  const print = (line = '') => output.out(`${line}\n`);
  const withAdmin = async <T>(fn: (admin: UsersAdmin) => Promise<T>): Promise<T> => {
    const db = await deps.openDatabase();
    try {
      const admin = new UsersAdmin(new UsersRepository(db.dataSource), new SessionsRepository(db.dataSource), deps.hashPassword);
      return await fn(admin);
    } finally {
      await db.close();
    }
  };

  const withTemplates = async <T>(fn: (admin: TemplatesAdmin) => Promise<T>): Promise<T> => {
    const db = await deps.openDatabase();
    try {
      const templates = new TemplatesRepository(db.dataSource);
      return await fn(new TemplatesAdmin(new TemplatesService(new UsersRepository(db.dataSource), templates), templates));
    } finally {
      await db.close();
    }
  };

  const program = new Command('signoff-cli')
    .description('Signoff admin commands. Uses DATABASE_URL if set, else the embedded Postgres in DATA_DIR.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) })
    .showHelpAfterError('(add --help for usage)')
    .allowExcessArguments(false);

  program
    .command('users:import')
    .description('Create or update users from a CSV or JSON file, matched by email. A file with any invalid row changes nothing.')
    .argument('<file>', 'a .csv file (header line, then one user a line) or a .json file (an array of user objects)')
    .option('--skip-invalid', 'import the valid rows and report the invalid ones instead of importing nothing')
    .addHelpText(
      'after',
      [
        '',
        `Columns (CSV header) or keys (JSON): ${USER_FILE_KEYS.join(', ')}`,
        `  role          one of ${ROLES.join(', ')}`,
        '  managerEmail  optional; a user in the same file or an existing one',
        '  password      optional, at least 8 characters; new users without one cannot',
        '                sign in until users:reset-password. Existing users keep theirs.',
        'Rows are checked before anything is written; the writes happen in one transaction.',
      ].join('\n'),
    )
    .action(async (file: string, options: { skipInvalid?: boolean }) => {
      const result = await withAdmin((admin) => admin.importFile(file, { skipInvalid: options.skipInvalid }));
      reportImport(result, output);
      if (!result.applied) state.exitCode = 1;
    });

  program
    .command('users:create')
    .description('Create one user. Without --password a strong random one is generated and printed once.')
    .requiredOption('--email <email>', 'email address (sign-in name)')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--manager <email>', "the manager's email (an existing user)")
    .option('--password <password>', 'initial password, at least 8 characters')
    .action(async (options: { email: string; name: string; role: string; manager?: string; password?: string }) => {
      const user = await withAdmin((admin) => admin.create(options));
      print(`created ${user.email} (${user.name}, ${user.role}${user.managerEmail ? `, manager ${user.managerEmail}` : ''})`);
      if (user.generatedPassword) print(`password (shown once, pass it on securely): ${user.generatedPassword}`);
    });

  program
    .command('users:disable')
    .description('Disable a user and end their sessions, signing them out everywhere.')
    .argument('<email>', "the user's email")
    .action(async (email: string) => {
      const r = await withAdmin((admin) => admin.disable(email));
      print(`${r.wasActive ? 'disabled' : 'already disabled:'} ${r.email}; ${plural(r.sessionsEnded, 'session')} ended`);
    });

  program
    .command('users:enable')
    .description('Enable a disabled user again.')
    .argument('<email>', "the user's email")
    .action(async (email: string) => {
      const r = await withAdmin((admin) => admin.enable(email));
      print(`${r.wasActive ? 'already enabled:' : 'enabled'} ${r.email}`);
    });

  program
    .command('users:reset-password')
    .description("Set a user's password and end their sessions. Without --password a strong random one is generated and printed once.")
    .argument('<email>', "the user's email")
    .option('--password <password>', 'the new password, at least 8 characters')
    .action(async (email: string, options: { password?: string }) => {
      const r = await withAdmin((admin) => admin.resetPassword(email, options.password));
      print(`password reset for ${r.email}; ${plural(r.sessionsEnded, 'session')} ended`);
      if (r.generatedPassword) print(`new password (shown once, pass it on securely): ${r.generatedPassword}`);
    });

  program
    .command('users:list')
    .description('List users: email, name, role, manager, active.')
    .option('--json', 'print a JSON array instead of a table')
    .action(async (options: { json?: boolean }) => {
      const users = await withAdmin((admin) => admin.list());
      output.out(options.json ? `${JSON.stringify(users, null, 2)}\n` : userTable(users));
    });

  program
    .command('templates:import')
    .description(
      'Publish a template from a JSON or YAML file as the next version of its key, checked exactly like POST /api/templates. ' +
        'An invalid file publishes nothing.',
    )
    .argument('<file>', 'a .json, .yaml or .yml file holding one template definition')
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  signoff-cli templates:import docs/templates/purchase-example.yaml',
        '  published purchase-example v1',
        '',
        'Running tickets keep the version they started with; new tickets use the new one.',
        'Importing a file equal to the latest version publishes nothing and prints',
        '"unchanged <key> v<N>" (exit 0), so importing the same files again is safe.',
        'Problems are printed one a line as `path: message` (exit 1): the structure, conditions',
        '(unknown fields, always false), duplicate keys, quorum, unknown or disabled users,',
        'roles nobody has and stages no one can approve.',
      ].join('\n'),
    )
    .action(async (file: string) => {
      const result = await withTemplates((admin) => admin.importFile(file));
      reportTemplateImport(result, output);
      if (result.status === 'invalid') state.exitCode = 1;
    });

  program
    .command('templates:list')
    .description('List templates: key, latest version, name, number of stages.')
    .option('--json', 'print a JSON array instead of a table')
    .addHelpText(
      'after',
      [
        '',
        'Example:',
        '  signoff-cli templates:list',
        ...templateTable([{ key: 'expense', version: 2, name: { en: 'Expense claim', zh: '费用报销' }, stages: 3 }])
          .trimEnd()
          .split('\n')
          .map((line) => `  ${line}`),
      ].join('\n'),
    )
    .action(async (options: { json?: boolean }) => {
      const templates = await withTemplates((admin) => admin.list());
      output.out(options.json ? `${JSON.stringify(templates, null, 2)}\n` : templateTable(templates));
    });

  return program;
}

function reportTemplateImport(result: TemplateImportResult, output: CliOutput) {
  if (result.status === 'invalid') {
    const what = result.key ? `template "${result.key}"` : 'the template';
    output.err(
      `error: ${result.file}: ${what} has ${plural(result.problems.length, 'problem')}; nothing was published:\n` +
        result.problems.map((p) => `  ${p}\n`).join(''),
    );
    return;
  }
  output.out(`${result.status} ${result.template.key} v${result.template.version}\n`);
}

export function templateTable(templates: TemplateListing[]): string {
  if (templates.length === 0) return 'no templates\n';
  return table(
    ['KEY', 'VERSION', 'NAME', 'STAGES'],
    templates.map((t) => [t.key, String(t.version), `${t.name.en} / ${t.name.zh}`, String(t.stages)]),
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function invalidLines(invalid: InvalidRow[]): string {
  return invalid.map((row) => `  ${describeLocation(row.at)}${row.email ? ` (${row.email})` : ''}: ${row.problems.join('; ')}\n`).join('');
}

function reportImport(result: ImportResult, output: CliOutput) {
  const { file, created, updated, invalid } = result;
  if (!result.applied) {
    output.err(
      `error: ${file} has ${plural(invalid.length, 'invalid row')}; nothing was imported ` +
        `(fix them, or add --skip-invalid to import only the valid rows):\n${invalidLines(invalid)}`,
    );
    return;
  }
  const lines = [
    `${file}: ${created.length} created, ${updated.length} updated, ${invalid.length} invalid${invalid.length ? ' (skipped)' : ''}\n`,
  ];
  for (const row of created) lines.push(`  created  ${row.email} (${describeLocation(row.at)})\n`);
  for (const row of updated) lines.push(`  updated  ${row.email} (${describeLocation(row.at)})\n`);
  output.out(lines.join(''));
  if (invalid.length > 0) output.err(`skipped ${plural(invalid.length, 'invalid row')}:\n${invalidLines(invalid)}`);
}

export function userTable(users: UserListing[]): string {
  if (users.length === 0) return 'no users\n';
  return table(
    ['EMAIL', 'NAME', 'ROLE', 'MANAGER', 'ACTIVE'],
    users.map((u) => [u.email, u.name, u.role, u.managerEmail ?? '-', u.active ? 'yes' : 'no']),
  );
}

/** Columns padded to the widest cell (wide characters count twice); the last column is not padded. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => displayWidth(r[i]))));
  const pad = (cell: string, width: number) => cell + ' '.repeat(width - displayWidth(cell));
  return [header, ...rows].map((r) => `${r.map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i]))).join('  ')}\n`).join('');
}

/** Terminal columns a string takes: CJK and other wide characters take two (names are often Chinese). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}
