/** What the admin CLI does to users. Output is the caller's business: these return results. */
import { CliError } from './cli-error';
import { readInputFile } from './read-input-file';
import { randomBytes } from 'node:crypto';
import { describeZodError, userRecordSchema, type Role } from '@signoff/contracts';
import { hashPassword } from '../auth/passwords';
import type { SessionsRepository } from '../auth/sessions.repository';
import type { UsersRepository } from '../users/users.repository';
import { checkUserRows, formatFromPath, managerEmails, parseUserFile, UserFileError, type InvalidRow, type RowLocation } from './user-file';

/** A mistake the person at the terminal can fix: printed as `error: <message>`, exit code 1. */

export interface ImportedRow {
  email: string;
  at: RowLocation;
}

export interface ImportResult {
  file: string;
  created: ImportedRow[];
  updated: ImportedRow[];
  invalid: InvalidRow[];
  /** False when invalid rows stopped the import: then nothing was written. */
  applied: boolean;
}

export interface UserListing {
  email: string;
  name: string;
  role: Role;
  managerEmail: string | null;
  active: boolean;
}

/** 24 characters of base64url from 18 random bytes (144 bits). */
export const generatePassword = () => randomBytes(18).toString('base64url');

const emailSchema = userRecordSchema.shape.email;
const passwordSchema = userRecordSchema.shape.password.unwrap();

export class UsersAdmin {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hash: (password: string) => Promise<string> = hashPassword,
  ) {}

  async importFile(file: string, options: { skipInvalid?: boolean } = {}): Promise<ImportResult> {
    const text = await readInputFile(file, 'users file');
    let checked;
    try {
      const parsed = parseUserFile(text, formatFromPath(file));
      const managers = managerEmails(parsed);
      const existing = new Set((await this.users.findByEmails(managers)).map((u) => u.email));
      checked = checkUserRows(parsed, existing);
    } catch (err) {
      if (err instanceof UserFileError) throw new CliError(err.message.startsWith(file) ? err.message : `${file}: ${err.message}`);
      throw err;
    }

    const result: ImportResult = { file, created: [], updated: [], invalid: checked.invalid, applied: false };
    if (checked.invalid.length > 0 && !options.skipInvalid) return result;

    const rows = [];
    for (const { record } of checked.valid) {
      rows.push({
        email: record.email,
        name: record.name,
        role: record.role,
        managerEmail: record.managerEmail,
        ...(record.password ? { passwordHash: await this.hash(record.password) } : {}),
      });
    }
    const written = rows.length > 0 ? await this.users.upsertMany(rows) : { created: [], updated: [] };
    const at = new Map(checked.valid.map((r) => [r.record.email, r.at]));
    result.created = written.created.map((email) => ({ email, at: at.get(email)! }));
    result.updated = written.updated.map((email) => ({ email, at: at.get(email)! }));
    result.applied = true;
    return result;
  }

  /** Creates one user; without a password a random one is generated and returned (to be shown once). */
  async create(input: { email: string; name: string; role: string; manager?: string; password?: string }) {
    const parsed = userRecordSchema.safeParse({
      email: input.email,
      name: input.name,
      role: input.role,
      managerEmail: input.manager,
      password: input.password,
    });
    if (!parsed.success) throw new CliError(`invalid user: ${describeZodError(parsed.error).replace(/managerEmail:/g, 'manager:')}`);
    const record = parsed.data;
    if (await this.users.findByEmail(record.email))
      throw new CliError(`a user with email ${record.email} already exists (use users:import to update users)`);
    if (record.managerEmail !== undefined) {
      if (record.managerEmail === record.email) throw new CliError('invalid user: manager: a user cannot be their own manager');
      if (!(await this.users.findByEmail(record.managerEmail)))
        throw new CliError(`invalid user: manager: no user with email ${record.managerEmail}`);
    }
    const generated = record.password === undefined;
    const password = record.password ?? generatePassword();
    await this.users.upsertMany([
      {
        email: record.email,
        name: record.name,
        role: record.role,
        managerEmail: record.managerEmail,
        passwordHash: await this.hash(password),
      },
    ]);
    return {
      email: record.email,
      name: record.name,
      role: record.role,
      managerEmail: record.managerEmail ?? null,
      generatedPassword: generated ? password : null,
    };
  }

  /** Disables the user and ends their sessions, so they are signed out at once. */
  async disable(email: string) {
    const user = await this.findUser(email);
    await this.users.setActive(user.id, false);
    const sessionsEnded = await this.sessions.revokeAllForUser(user.id);
    return { email: user.email, wasActive: user.active, sessionsEnded };
  }

  async enable(email: string) {
    const user = await this.findUser(email);
    await this.users.setActive(user.id, true);
    return { email: user.email, wasActive: user.active };
  }

  /** Sets a new password (random if none is given, returned to be shown once) and ends the user's sessions. */
  async resetPassword(email: string, password?: string) {
    if (password !== undefined) {
      const checked = passwordSchema.safeParse(password);
      if (!checked.success) throw new CliError(`invalid password: ${describeZodError(checked.error).replace(/^body: /, '')}`);
    }
    const user = await this.findUser(email);
    const next = password ?? generatePassword();
    await this.users.setPasswordHash(user.id, await this.hash(next));
    const sessionsEnded = await this.sessions.revokeAllForUser(user.id);
    return { email: user.email, generatedPassword: password === undefined ? next : null, sessionsEnded };
  }

  async list(): Promise<UserListing[]> {
    const users = await this.users.list();
    const emailById = new Map(users.map((u) => [u.id, u.email]));
    return users.map((u) => ({
      email: u.email,
      name: u.name,
      role: u.role,
      managerEmail: u.managerId ? (emailById.get(u.managerId) ?? null) : null,
      active: u.active,
    }));
  }

  private async findUser(email: string) {
    const parsed = emailSchema.safeParse(email);
    if (!parsed.success) throw new CliError(`not an email address: ${JSON.stringify(email)}`);
    const user = await this.users.findByEmail(parsed.data);
    if (!user) throw new CliError(`no user with email ${parsed.data}`);
    return user;
  }
}
