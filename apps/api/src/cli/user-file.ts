/**
 * Reading a users file (CSV or JSON) into rows that know where they came from, and
 * checking them: each row against the shared `userRecordSchema`, then the rows against
 * each other and the users that already exist. Pure: no file system, no database.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { describeZodError, userRecordSchema, type UserRecordInput } from '@signoff/contracts';

export type UserFileFormat = 'csv' | 'json';

export const USER_FILE_KEYS = ['email', 'name', 'role', 'managerEmail', 'password'] as const;
const REQUIRED_COLUMNS = ['email', 'name', 'role'] as const;
type UserFileKey = (typeof USER_FILE_KEYS)[number];

/** Where a row is in its file: CSV rows by line (header is line 1), JSON rows by item (1-based) and line. */
export interface RowLocation {
  line: number;
  item?: number;
}

export const describeLocation = (at: RowLocation) => (at.item === undefined ? `line ${at.line}` : `item ${at.item} at line ${at.line}`);

export interface UserRow {
  at: RowLocation;
  record: UserRecordInput;
}

export interface InvalidRow {
  at: RowLocation;
  /** The row's email as written (trimmed, lower-cased) when it has one, to name it in messages. */
  email?: string;
  /** One entry per problem, each naming the field: `role: must be one of requester, approver, admin`. */
  problems: string[];
}

export interface ParsedUserFile {
  format: UserFileFormat;
  rows: UserRow[];
  invalid: InvalidRow[];
}

/** The file as a whole cannot be read (not CSV/JSON, bad header, not an array…): nothing in it is used. */
export class UserFileError extends Error {}

export function formatFromPath(file: string): UserFileFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json')) return 'json';
  throw new UserFileError(`${file}: unsupported file type; expected a .csv or .json file`);
}

export function parseUserFile(text: string, format: UserFileFormat): ParsedUserFile {
  const clean = text.replace(/^\uFEFF/, '');
  const raw = format === 'csv' ? readCsv(clean) : readJson(clean);
  const parsed: ParsedUserFile = { format, rows: [], invalid: [] };
  for (const entry of raw) {
    if ('problems' in entry) {
      parsed.invalid.push(entry);
      continue;
    }
    const result = userRecordSchema.safeParse(entry.values);
    if (result.success) parsed.rows.push({ at: entry.at, record: result.data });
    else parsed.invalid.push({ at: entry.at, email: emailOf(entry.values), problems: describeIssues(result.error, entry.values) });
  }
  return parsed;
}

/** One message per problem; a field left out is "required" whatever its schema would say about a bad value. */
function describeIssues(error: z.ZodError, values: Record<string, unknown>): string[] {
  return error.issues.map((issue) => {
    const [key, ...rest] = issue.path;
    if (rest.length === 0 && typeof key === 'string' && issue.code !== 'unrecognized_keys' && values[key] === undefined)
      return `${key}: is required`;
    return describeZodError(new z.ZodError([issue]));
  });
}

type RawEntry = { at: RowLocation; values: Record<string, unknown> } | InvalidRow;

const emailOf = (values: Record<string, unknown>) =>
  typeof values.email === 'string' && values.email.trim() ? values.email.trim().toLowerCase() : undefined;

// ---------------------------------------------------------------------------- CSV

/** `Manager Email`, `manager_email` and `managerEmail` all name the same column. */
const columnKey = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
const KEY_BY_COLUMN = new Map<string, UserFileKey>(USER_FILE_KEYS.map((k) => [k.toLowerCase(), k]));

interface CsvRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

function readCsv(text: string): RawEntry[] {
  let records: CsvRecord[];
  try {
    records = parseCsv(text.replace(/\r\n?/g, '\n'), {
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as CsvRecord[];
  } catch (err) {
    throw new UserFileError(`not valid CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
  const located = records.map((r) => ({ values: r.record, line: startLine(r) })).filter((r) => r.values.some((v) => v.trim() !== ''));
  const header = located.shift();
  if (!header) throw new UserFileError(`the file is empty; expected a header line with the columns ${USER_FILE_KEYS.join(', ')}`);
  const keys = readHeader(header.values);

  return located.map(({ values, line }): RawEntry => {
    const at = { line };
    if (values.length > keys.length) {
      const email = keys.includes('email') ? emailOf({ email: values[keys.indexOf('email')] }) : undefined;
      return { at, email, problems: [`has ${values.length} values but the header has ${keys.length} columns`] };
    }
    const row: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      const value = values[i];
      if (value === undefined) return;
      // Passwords are taken as written; every other cell is trimmed. Empty cells are absent.
      const cell = key === 'password' ? value : value.trim();
      if (cell !== '') row[key] = cell;
    });
    return { at, values: row };
  });
}

function readHeader(columns: string[]): UserFileKey[] {
  const keys: UserFileKey[] = [];
  const unknown: string[] = [];
  for (const column of columns) {
    const key = KEY_BY_COLUMN.get(columnKey(column));
    if (!key) unknown.push(JSON.stringify(column.trim()));
    else if (keys.includes(key)) throw new UserFileError(`line 1: column ${key} appears more than once in the header`);
    else keys.push(key);
  }
  if (unknown.length > 0) {
    throw new UserFileError(`line 1: unknown column(s) ${unknown.join(', ')}; the columns are ${USER_FILE_KEYS.join(', ')}`);
  }
  const missing = REQUIRED_COLUMNS.filter((k) => !keys.includes(k));
  if (missing.length > 0)
    throw new UserFileError(`line 1: missing column(s) ${missing.join(', ')}; the columns are ${USER_FILE_KEYS.join(', ')}`);
  return keys;
}

/**
 * csv-parse reports the line a record ends on; a quoted value may span lines, and the
 * raw text also holds the blank lines skipped before the record. Count back to its first line.
 */
function startLine(r: CsvRecord): number {
  const own = r.raw.replace(/^\s*\n/, '').replace(/\n$/, '');
  return r.info.lines - (own.split('\n').length - 1);
}

// ---------------------------------------------------------------------------- JSON

function readJson(text: string): RawEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /at position (\d+)/.exec(message);
    const where = position ? ` (line ${text.slice(0, Number(position[1])).split('\n').length})` : '';
    throw new UserFileError(`not valid JSON: ${message}${where}`);
  }
  if (!Array.isArray(data)) throw new UserFileError('expected a JSON array of user objects ([{"email": …, "name": …, "role": …}, …])');
  const lines = arrayItemLines(text);
  return data.map((item: unknown, i): RawEntry => {
    const at = { item: i + 1, line: lines[i] ?? 1 };
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      return { at, problems: ['must be an object with email, name and role'] };
    // `null` means "not given", as an empty cell does in CSV.
    const values = Object.fromEntries(Object.entries(item).filter(([, v]) => v !== null));
    return { at, values };
  });
}

/** The line each item of a top-level JSON array starts on. Expects text JSON.parse accepted. */
export function arrayItemLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectItem = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (depth === 1 && expectItem && c !== ']') {
      lines.push(line);
      expectItem = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1 && c === '[') expectItem = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectItem = true;
  }
  return lines;
}

// ---------------------------------------------------------------------------- checks across rows

export interface CheckedUserFile {
  valid: UserRow[];
  /** Every invalid row, in file order. */
  invalid: InvalidRow[];
}

/**
 * Rows are invalid when their email appears more than once in the file, when they name
 * themselves as manager, or when their manager is neither an existing user nor a valid
 * row of the file (so skipping invalid rows never leaves a dangling manager).
 */
export function checkUserRows(file: ParsedUserFile, existingEmails: ReadonlySet<string>): CheckedUserFile {
  const problems = new Map<UserRow, string[]>();
  const flag = (row: UserRow, problem: string) => problems.set(row, [...(problems.get(row) ?? []), problem]);

  const byEmail = new Map<string, UserRow[]>();
  for (const row of file.rows) byEmail.set(row.record.email, [...(byEmail.get(row.record.email) ?? []), row]);
  for (const [email, rows] of byEmail) {
    if (rows.length < 2) continue;
    const where = rows.map((r) => describeLocation(r.at)).join(', ');
    for (const row of rows) flag(row, `email: ${email} appears more than once in the file (${where})`);
  }
  for (const row of file.rows) {
    if (row.record.managerEmail === row.record.email) flag(row, 'managerEmail: a user cannot be their own manager');
  }

  const invalidInFile = new Map<string, RowLocation>();
  for (const bad of file.invalid) if (bad.email && !invalidInFile.has(bad.email)) invalidInFile.set(bad.email, bad.at);
  // A row whose manager's row is invalid is invalid too, and so on down the chain.
  for (let changed = true; changed;) {
    changed = false;
    const available = new Set(existingEmails);
    for (const row of file.rows) if (!problems.has(row)) available.add(row.record.email);
    for (const row of file.rows) {
      const manager = row.record.managerEmail;
      if (problems.has(row) || manager === undefined || available.has(manager)) continue;
      const managerRow = byEmail.get(manager)?.[0]?.at ?? invalidInFile.get(manager);
      flag(
        row,
        managerRow
          ? `managerEmail: the manager ${manager} (${describeLocation(managerRow)}) is an invalid row`
          : `managerEmail: no user ${manager} in the file or the database`,
      );
      changed = true;
    }
  }

  const invalid = [
    ...file.invalid,
    ...[...problems].map(([row, list]): InvalidRow => ({ at: row.at, email: row.record.email, problems: list })),
  ].sort((a, b) => a.at.line - b.at.line || (a.at.item ?? 0) - (b.at.item ?? 0));
  return { valid: file.rows.filter((r) => !problems.has(r)), invalid };
}

/** Every manager the file names, each once: the ones that must exist if the file does not define them. */
export function managerEmails(file: ParsedUserFile): string[] {
  return [...new Set(file.rows.map((r) => r.record.managerEmail).filter((m): m is string => m !== undefined))];
}
