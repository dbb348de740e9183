/**
 * The admin CLI against a real, migrated Postgres: in-process through runCli with the
 * test's DataSource injected, and as a real process (the built dist/cli.js).
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/auth/passwords';
import { SessionsRepository } from '../src/auth/sessions.repository';
import { UsersRepository } from '../src/users/users.repository';
import { inProcessCli, inputFile } from './cli-harness';
import { dropTestDatabase, openTestDatabase } from './harness';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const CLI_JS = path.join(REPO_ROOT, 'apps/api/dist/cli.js');

let url: string;
let dataSource: DataSource;
let users: UsersRepository;
let sessions: SessionsRepository;
let dir: string;
const { cli, closes: closeCount } = inProcessCli(() => dataSource);

beforeAll(async () => {
  ({ url, dataSource } = await openTestDatabase({ seed: false }));
  users = new UsersRepository(dataSource);
  sessions = new SessionsRepository(dataSource);
  dir = await mkdtemp(path.join(tmpdir(), 'signoff-cli-'));
});

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  if (url) await dropTestDatabase(url);
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  // DELETE, not TRUNCATE: the app role may not truncate (and no tickets reference users here).
  await dataSource.query('DELETE FROM sessions; DELETE FROM users');
});

const file = (name: string, text: string) => inputFile(dir, name, text);

const GOOD_CSV = [
  'email,name,role,managerEmail,password',
  'lead@corp.example,Li Wei,approver,,lead-password',
  'ann@corp.example,Ann Zhang,requester,lead@corp.example,',
  'Ben@Corp.example,Ben Sun,requester,lead@corp.example,ben-password',
].join('\n');

async function sessionFor(email: string) {
  const user = await users.findByEmail(email);
  await sessions.create(user!.id, `hash-${randomBytes(8).toString('hex')}`, new Date(Date.now() + 3_600_000));
  return user!;
}

describe('users:import', () => {
  it('creates the users of a good CSV file and links their managers', async () => {
    const result = await cli('users:import', await file('users.csv', GOOD_CSV));

    expect(result.code).toBe(0);
    expect(result.out).toContain('3 created, 0 updated, 0 invalid');
    const lead = await users.findByEmail('lead@corp.example');
    const ann = await users.findByEmail('ann@corp.example');
    const ben = await users.findByEmail('ben@corp.example');
    expect(lead).toMatchObject({ name: 'Li Wei', role: 'approver', managerId: null, active: true });
    expect(ann).toMatchObject({ role: 'requester', managerId: lead!.id });
    expect(ben).toMatchObject({ name: 'Ben Sun', managerId: lead!.id });
  });

  it('hashes given passwords and leaves users without one unable to sign in', async () => {
    await cli('users:import', await file('users.csv', GOOD_CSV));

    const ben = await users.findWithPasswordByEmail('ben@corp.example');
    const ann = await users.findWithPasswordByEmail('ann@corp.example');
    expect(await verifyPassword(ben!.passwordHash, 'ben-password')).toBe(true);
    expect(ann!.passwordHash).toBeNull();
  });

  it('re-importing the same file updates every user and creates no duplicates', async () => {
    const csv = await file('users.csv', GOOD_CSV);
    await cli('users:import', csv);

    const again = await cli('users:import', csv);

    expect(again.code).toBe(0);
    expect(again.out).toContain('0 created, 3 updated, 0 invalid');
    expect(await users.count()).toBe(3);
  });

  it('reports each created and updated user with its line', async () => {
    await cli('users:create', '--email', 'lead@corp.example', '--name', 'Old Name', '--role', 'admin');

    const result = await cli('users:import', await file('users.csv', GOOD_CSV));

    expect(result.out).toContain('updated  lead@corp.example (line 2)');
    expect(result.out).toContain('created  ann@corp.example (line 3)');
    expect((await users.findByEmail('lead@corp.example'))!.name).toBe('Li Wei');
  });

  it('changes nothing when a row is invalid, and names the line and field', async () => {
    const csv = await file('bad.csv', `${GOOD_CSV}\ncarl@corp.example,Carl,boss,,\n`);

    const result = await cli('users:import', csv);

    expect(result.code).toBe(1);
    expect(result.err).toContain('nothing was imported');
    expect(result.err).toContain('line 5 (carl@corp.example): role: must be one of requester, approver, admin');
    expect(await users.count()).toBe(0);
  });

  it('lists every invalid row of a file, not only the first', async () => {
    const csv = await file(
      'bad.csv',
      [
        'email,name,role,managerEmail',
        'nope,A,admin,',
        'b@corp.example,B,requester,ghost@corp.example',
        'c@corp.example,C,requester,c@corp.example',
        'b@corp.example,B2,admin,',
      ].join('\n'),
    );

    const result = await cli('users:import', csv);

    expect(result.code).toBe(1);
    expect(result.err).toContain('line 2 (nope): email: must be an email address');
    expect(result.err).toContain('line 3 (b@corp.example): email: b@corp.example appears more than once');
    expect(result.err).toContain('line 4 (c@corp.example): managerEmail: a user cannot be their own manager');
    expect(result.err).toContain('line 5 (b@corp.example): email: b@corp.example appears more than once');
  });

  it('with --skip-invalid imports the valid rows and reports the invalid ones', async () => {
    const csv = await file('mixed.csv', `${GOOD_CSV}\ncarl@corp.example,Carl,boss,,\ndan@corp.example,Dan,requester,ghost@corp.example,\n`);

    const result = await cli('users:import', csv, '--skip-invalid');

    expect(result.code).toBe(0);
    expect(result.out).toContain('3 created, 0 updated, 2 invalid (skipped)');
    expect(result.err).toContain('line 5 (carl@corp.example): role:');
    expect(result.err).toContain('line 6 (dan@corp.example): managerEmail: no user ghost@corp.example in the file or the database');
    expect((await users.list()).map((u) => u.email)).toEqual(['ann@corp.example', 'ben@corp.example', 'lead@corp.example']);
  });

  it('accepts a manager who already exists in the database', async () => {
    await cli('users:create', '--email', 'boss@corp.example', '--name', 'Boss', '--role', 'approver', '--password', 'boss-password');

    const result = await cli(
      'users:import',
      await file('u.csv', 'email,name,role,managerEmail\nann@corp.example,Ann,requester,boss@corp.example\n'),
    );

    expect(result.code).toBe(0);
    const boss = await users.findByEmail('boss@corp.example');
    expect((await users.findByEmail('ann@corp.example'))!.managerId).toBe(boss!.id);
  });

  it('imports a JSON array and locates invalid items by number and line', async () => {
    const good = [
      { email: 'lead@corp.example', name: 'Li Wei', role: 'approver' },
      { email: 'ann@corp.example', name: 'Ann Zhang', role: 'requester', managerEmail: 'lead@corp.example', password: 'ann-password' },
    ];
    const created = await cli('users:import', await file('users.json', JSON.stringify(good, null, 2)));
    expect(created.code).toBe(0);
    expect(created.out).toContain('2 created, 0 updated, 0 invalid');
    expect((await users.findByEmail('ann@corp.example'))!.managerId).toBe((await users.findByEmail('lead@corp.example'))!.id);

    const bad = await cli(
      'users:import',
      await file('bad.json', JSON.stringify([...good, { email: 'x@corp.example', name: 'X' }], null, 2)),
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('item 3 at line 14 (x@corp.example): role: is required');
  });

  it('fails with a clear message when the file does not exist', async () => {
    const result = await cli('users:import', path.join(dir, 'missing.csv'));

    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: file not found: .*missing\.csv/);
  });

  it('fails with a clear message when the file cannot be parsed', async () => {
    const json = await cli('users:import', await file('broken.json', '[{"email": '));
    const csv = await cli('users:import', await file('broken.csv', 'email,name,role\n"a@corp.example,A,admin\n'));

    expect(json.code).toBe(1);
    expect(json.err).toMatch(/broken\.json: not valid JSON/);
    expect(csv.code).toBe(1);
    expect(csv.err).toMatch(/broken\.csv: not valid CSV: .*line 2/);
  });

  it('refuses a file that is neither .csv nor .json', async () => {
    const result = await cli('users:import', await file('users.txt', GOOD_CSV));

    expect(result.code).toBe(1);
    expect(result.err).toContain('unsupported file type');
  });
});

describe('users:create', () => {
  it('creates a user with a generated password that is printed once and works', async () => {
    const result = await cli('users:create', '--email', 'New@Corp.example', '--name', 'New Person', '--role', 'requester');

    expect(result.code).toBe(0);
    const password = /password \(shown once.*\): (\S+)/.exec(result.out)?.[1];
    expect(password).toHaveLength(24);
    const user = await users.findWithPasswordByEmail('new@corp.example');
    expect(user).toMatchObject({ name: 'New Person', role: 'requester', active: true });
    expect(await verifyPassword(user!.passwordHash, password!)).toBe(true);
  });

  it('uses the given password and manager', async () => {
    await cli('users:create', '--email', 'boss@corp.example', '--name', 'Boss', '--role', 'approver');

    const result = await cli(
      'users:create',
      '--email',
      'ann@corp.example',
      '--name',
      'Ann',
      '--role',
      'requester',
      '--manager',
      'boss@corp.example',
      '--password',
      'ann-password',
    );

    expect(result.code).toBe(0);
    expect(result.out).not.toContain('shown once');
    const ann = await users.findWithPasswordByEmail('ann@corp.example');
    expect(ann!.managerId).toBe((await users.findByEmail('boss@corp.example'))!.id);
    expect(await verifyPassword(ann!.passwordHash, 'ann-password')).toBe(true);
  });

  it('refuses a bad role', async () => {
    const result = await cli('users:create', '--email', 'a@corp.example', '--name', 'A', '--role', 'boss');

    expect(result.code).toBe(1);
    expect(result.err).toContain('role: must be one of requester, approver, admin');
    expect(await users.count()).toBe(0);
  });

  it('refuses a bad email', async () => {
    const result = await cli('users:create', '--email', 'not-an-email', '--name', 'A', '--role', 'admin');

    expect(result.code).toBe(1);
    expect(result.err).toContain('email: must be an email address');
  });

  it('refuses an unknown manager', async () => {
    const result = await cli(
      'users:create',
      '--email',
      'a@corp.example',
      '--name',
      'A',
      '--role',
      'admin',
      '--manager',
      'ghost@corp.example',
    );

    expect(result.code).toBe(1);
    expect(result.err).toContain('manager: no user with email ghost@corp.example');
    expect(await users.count()).toBe(0);
  });

  it('refuses an email that is already taken', async () => {
    await cli('users:create', '--email', 'a@corp.example', '--name', 'A', '--role', 'admin');

    const result = await cli('users:create', '--email', 'A@corp.example', '--name', 'Other', '--role', 'admin');

    expect(result.code).toBe(1);
    expect(result.err).toContain('a user with email a@corp.example already exists');
    expect((await users.findByEmail('a@corp.example'))!.name).toBe('A');
  });

  it('refuses a missing required option', async () => {
    const result = await cli('users:create', '--email', 'a@corp.example', '--role', 'admin');

    expect(result.code).toBe(1);
    expect(result.err).toContain("required option '--name <name>' not specified");
  });
});

describe('users:disable and users:enable', () => {
  it('disable sets active to false and deletes the sessions, signing the user out', async () => {
    await cli('users:import', await file('users.csv', GOOD_CSV));
    const ben = await sessionFor('ben@corp.example');
    await sessionFor('ben@corp.example');
    const ann = await sessionFor('ann@corp.example');

    const result = await cli('users:disable', 'ben@corp.example');

    expect(result.code).toBe(0);
    expect(result.out).toContain('disabled ben@corp.example; 2 sessions ended');
    expect((await users.findById(ben.id))!.active).toBe(false);
    expect(await sessions.countForUser(ben.id)).toBe(0);
    expect(await sessions.countForUser(ann.id)).toBe(1);
  });

  it('enable sets active back to true', async () => {
    await cli('users:import', await file('users.csv', GOOD_CSV));
    await cli('users:disable', 'ann@corp.example');

    const result = await cli('users:enable', 'ANN@corp.example');

    expect(result.code).toBe(0);
    expect(result.out).toContain('enabled ann@corp.example');
    expect((await users.findByEmail('ann@corp.example'))!.active).toBe(true);
  });

  it('fails with a clear message for an unknown user', async () => {
    const result = await cli('users:disable', 'ghost@corp.example');

    expect(result.code).toBe(1);
    expect(result.err).toBe('error: no user with email ghost@corp.example\n');
  });

  it('fails with a clear message for something that is not an email', async () => {
    const result = await cli('users:enable', 'ghost');

    expect(result.code).toBe(1);
    expect(result.err).toBe('error: not an email address: "ghost"\n');
  });
});

describe('users:reset-password', () => {
  it('replaces the password hash with one of the given password and ends the sessions', async () => {
    await cli('users:import', await file('users.csv', GOOD_CSV));
    const ben = await sessionFor('ben@corp.example');
    const before = (await users.findWithPasswordByEmail('ben@corp.example'))!.passwordHash;

    const result = await cli('users:reset-password', 'ben@corp.example', '--password', 'brand-new-password');

    expect(result.code).toBe(0);
    const after = (await users.findWithPasswordByEmail('ben@corp.example'))!.passwordHash;
    expect(after).not.toBe(before);
    expect(await verifyPassword(after, 'brand-new-password')).toBe(true);
    expect(await verifyPassword(after, 'ben-password')).toBe(false);
    expect(await sessions.countForUser(ben.id)).toBe(0);
  });

  it('generates and prints a password when none is given, letting a user without one sign in', async () => {
    await cli('users:import', await file('users.csv', GOOD_CSV));

    const result = await cli('users:reset-password', 'ann@corp.example');

    const password = /new password \(shown once.*\): (\S+)/.exec(result.out)?.[1];
    expect(password).toBeDefined();
    expect(await verifyPassword((await users.findWithPasswordByEmail('ann@corp.example'))!.passwordHash, password!)).toBe(true);
  });

  it('refuses a password shorter than 8 characters', async () => {
    await cli('users:import', await file('users.csv', GOOD_CSV));

    const result = await cli('users:reset-password', 'ben@corp.example', '--password', 'short');

    expect(result.code).toBe(1);
    expect(result.err).toContain('must be at least 8 characters');
    expect(await verifyPassword((await users.findWithPasswordByEmail('ben@corp.example'))!.passwordHash, 'ben-password')).toBe(true);
  });

  it('fails with a clear message for an unknown user', async () => {
    const result = await cli('users:reset-password', 'ghost@corp.example');

    expect(result.code).toBe(1);
    expect(result.err).toContain('no user with email ghost@corp.example');
  });
});

describe('users:list', () => {
  it('prints a table with email, name, role, manager email and active', async () => {
    await cli('users:import', await file('users.csv', GOOD_CSV));
    await cli('users:disable', 'ben@corp.example');

    const result = await cli('users:list');

    expect(result.code).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['EMAIL', 'NAME', 'ROLE', 'MANAGER', 'ACTIVE']);
    expect(lines[1]).toMatch(/^ann@corp\.example\s+Ann Zhang\s+requester\s+lead@corp\.example\s+yes$/);
    expect(lines[2]).toMatch(/^ben@corp\.example\s+Ben Sun\s+requester\s+lead@corp\.example\s+no$/);
    expect(lines[3]).toMatch(/^lead@corp\.example\s+Li Wei\s+approver\s+-\s+yes$/);
  });

  it('with --json prints the users as a JSON array', async () => {
    await cli('users:import', await file('users.csv', GOOD_CSV));

    const result = await cli('users:list', '--json');

    expect(JSON.parse(result.out)).toContainEqual({
      email: 'ann@corp.example',
      name: 'Ann Zhang',
      role: 'requester',
      managerEmail: 'lead@corp.example',
      active: true,
    });
  });
});

describe('the program', () => {
  it.each(['users:import', 'users:create', 'users:disable', 'users:enable', 'users:reset-password', 'users:list'])(
    '%s --help prints usage and exits 0 without opening the database',
    async (command) => {
      const before = closeCount();
      const result = await cli(command, '--help');

      expect(result.code).toBe(0);
      expect(result.out).toContain(`Usage: signoff-cli ${command}`);
      expect(closeCount()).toBe(before);
    },
  );

  it('--help lists every command', async () => {
    const result = await cli('--help');

    expect(result.code).toBe(0);
    for (const command of ['users:import', 'users:create', 'users:disable', 'users:enable', 'users:reset-password', 'users:list'])
      expect(result.out).toContain(command);
  });

  it('rejects an unknown command with exit code 1', async () => {
    const result = await cli('users:delete', 'a@corp.example');

    expect(result.code).toBe(1);
    expect(result.err).toContain("unknown command 'users:delete'");
  });

  it('closes the database after a command, also when the command fails', async () => {
    const before = closeCount();
    await cli('users:list');
    await cli('users:disable', 'ghost@corp.example');

    expect(closeCount()).toBe(before + 2);
  });
});

describe('the built CLI as a process', () => {
  const exec = promisify(execFile);
  const run = (...argv: string[]) =>
    exec(process.execPath, [CLI_JS, ...argv], { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: url }, timeout: 30_000 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: { code?: number; stdout: string; stderr: string }) => ({ code: err.code ?? -1, stdout: err.stdout, stderr: err.stderr }),
    );

  beforeAll(() => {
    // Other parts of the build may have type errors of their own; tsc still emits, and
    // what matters here is that dist/cli.js is the current one.
    spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'apps/api/tsconfig.build.json'], {
      cwd: REPO_ROOT,
      stdio: 'ignore',
    });
    if (!existsSync(CLI_JS)) throw new Error(`build did not produce ${CLI_JS}`);
  }, 120_000);

  it('users:list prints the users of DATABASE_URL and exits 0', async () => {
    await cli('users:import', await file('users.csv', GOOD_CSV));

    const result = await run('users:list');

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^EMAIL\s+NAME/);
    expect(result.stdout).toMatch(/ann@corp\.example\s+Ann Zhang\s+requester\s+lead@corp\.example\s+yes/);
  });

  it('users:list --json writes nothing but JSON to stdout', async () => {
    await cli('users:import', await file('users.csv', GOOD_CSV));

    const result = await run('users:list', '--json');

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(3);
  });

  it('exits 1 with the message on stderr for an unknown user', async () => {
    const result = await run('users:disable', 'ghost@corp.example');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: no user with email ghost@corp.example');
  });

  it('exits 1 with the invalid rows on stderr when an import file has a bad row, writing nothing', async () => {
    const result = await run('users:import', await file('bad.csv', `${GOOD_CSV}\ncarl@corp.example,Carl,boss,,\n`));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 5 (carl@corp.example): role: must be one of requester, approver, admin');
    expect(await users.count()).toBe(0);
  });
});
