import { describe, expect, it } from 'vitest';
import { arrayItemLines, checkUserRows, describeLocation, formatFromPath, managerEmails, parseUserFile, UserFileError } from './user-file';

const csv = (...lines: string[]) => lines.join('\n');
const HEADER = 'email,name,role,managerEmail,password';
const none = new Set<string>();

const problemsOf = (invalid: { at: { line: number; item?: number }; problems: string[] }[]) =>
  invalid.map((r) => `${describeLocation(r.at)}: ${r.problems.join('; ')}`);

describe('formatFromPath', () => {
  it('picks the format from the extension, in any case', () => {
    expect(formatFromPath('/tmp/users.CSV')).toBe('csv');
    expect(formatFromPath('users.json')).toBe('json');
  });

  it('refuses other extensions', () => {
    expect(() => formatFromPath('users.xlsx')).toThrow(/expected a \.csv or \.json file/);
  });
});

describe('parseUserFile (CSV)', () => {
  it('reads rows with their file line numbers, the header being line 1', () => {
    const file = parseUserFile(csv(HEADER, 'a@x.com,A,admin,,', 'b@x.com,B,requester,a@x.com,password1'), 'csv');
    expect(file.invalid).toEqual([]);
    expect(file.rows).toEqual([
      { at: { line: 2 }, record: { email: 'a@x.com', name: 'A', role: 'admin' } },
      { at: { line: 3 }, record: { email: 'b@x.com', name: 'B', role: 'requester', managerEmail: 'a@x.com', password: 'password1' } },
    ]);
  });

  it('normalises emails to trimmed lower case', () => {
    const file = parseUserFile(csv('email,name,role,managerEmail', ' Ann@X.com ,Ann,requester, BOSS@x.com'), 'csv');
    expect(file.rows[0].record).toMatchObject({ email: 'ann@x.com', managerEmail: 'boss@x.com' });
  });

  it('accepts header names in any case and with spaces or underscores', () => {
    const file = parseUserFile(csv('Email,Name,ROLE,Manager Email,Password', 'a@x.com,A,admin,,'), 'csv');
    expect(file.rows).toHaveLength(1);
    expect(parseUserFile(csv('email,name,role,manager_email', 'a@x.com,A,admin,'), 'csv').rows).toHaveLength(1);
  });

  it('accepts columns in any order and without the optional ones', () => {
    const file = parseUserFile(csv('role,email,name', 'approver,a@x.com,A'), 'csv');
    expect(file.rows[0].record).toEqual({ email: 'a@x.com', name: 'A', role: 'approver' });
  });

  it('keeps counting lines across blank lines, CRLF line ends and quoted values spanning lines', () => {
    const text = [
      'email,name,role',
      '',
      '"a@x.com","A ""the"" first",admin',
      '"b@x.com","B',
      'second line",requester',
      '   ',
      'c@x.com,C,nobody',
    ].join('\r\n');
    const file = parseUserFile(text, 'csv');
    expect(file.rows.map((r) => [r.at.line, r.record.name])).toEqual([
      [3, 'A "the" first'],
      [4, 'B\nsecond line'],
    ]);
    expect(problemsOf(file.invalid)).toEqual(['line 7: role: must be one of requester, approver, admin']);
  });

  it('skips rows whose cells are all empty', () => {
    const file = parseUserFile(csv(HEADER, ',,,,', 'a@x.com,A,admin,,'), 'csv');
    expect(file.rows.map((r) => r.at.line)).toEqual([3]);
    expect(file.invalid).toEqual([]);
  });

  it('reports a bad role with its line and field', () => {
    const file = parseUserFile(csv(HEADER, 'a@x.com,A,boss,,'), 'csv');
    expect(problemsOf(file.invalid)).toEqual(['line 2: role: must be one of requester, approver, admin']);
  });

  it('reports every problem of a row, each naming its field', () => {
    const file = parseUserFile(csv(HEADER, 'not-an-email,,admin,nope,short'), 'csv');
    expect(file.invalid).toHaveLength(1);
    expect(file.invalid[0].problems).toEqual([
      'email: must be an email address',
      'name: is required',
      'managerEmail: must be an email address',
      'password: must be at least 8 characters',
    ]);
  });

  it('treats an empty password cell as no password', () => {
    const file = parseUserFile(csv(HEADER, 'a@x.com,A,admin,,'), 'csv');
    expect(file.rows[0].record.password).toBeUndefined();
  });

  it('keeps the spaces of a password as written', () => {
    const file = parseUserFile(csv(HEADER, 'a@x.com,A,admin,, secret pass '), 'csv');
    expect(file.rows[0].record.password).toBe(' secret pass ');
  });

  it('reports a row with more values than the header has columns', () => {
    const file = parseUserFile(csv('email,name,role', 'a@x.com,A,admin,extra'), 'csv');
    expect(problemsOf(file.invalid)).toEqual(['line 2: has 4 values but the header has 3 columns']);
    expect(file.invalid[0].email).toBe('a@x.com');
  });

  it('refuses a header with an unknown column', () => {
    expect(() => parseUserFile(csv('email,name,role,phone', 'a@x.com,A,admin,1'), 'csv')).toThrow(/line 1: unknown column\(s\) "phone"/);
  });

  it('refuses a header without a required column', () => {
    expect(() => parseUserFile(csv('email,name', 'a@x.com,A'), 'csv')).toThrow(/line 1: missing column\(s\) role/);
  });

  it('refuses a header naming a column twice', () => {
    expect(() => parseUserFile(csv('email,name,role,Email', 'a@x.com,A,admin,b@x.com'), 'csv')).toThrow(
      /column email appears more than once/,
    );
  });

  it('refuses an empty file', () => {
    expect(() => parseUserFile('\n\n', 'csv')).toThrow(UserFileError);
  });

  it('refuses CSV it cannot parse, naming the line', () => {
    expect(() => parseUserFile(csv('email,name,role', '"a@x.com,A,admin'), 'csv')).toThrow(/not valid CSV: .*line 2/);
  });

  it('ignores a byte order mark', () => {
    expect(parseUserFile(`\uFEFF${csv('email,name,role', 'a@x.com,A,admin')}`, 'csv').rows).toHaveLength(1);
  });
});

describe('parseUserFile (JSON)', () => {
  it('reads an array of objects, locating each by item number and line', () => {
    const text =
      '[\n  {"email": "a@x.com", "name": "A", "role": "admin"},\n  {\n    "email": "b@x.com", "name": "B", "role": "requester", "managerEmail": "a@x.com"\n  }\n]\n';
    const file = parseUserFile(text, 'json');
    expect(file.invalid).toEqual([]);
    expect(file.rows.map((r) => r.at)).toEqual([
      { item: 1, line: 2 },
      { item: 2, line: 3 },
    ]);
    expect(file.rows[1].record.managerEmail).toBe('a@x.com');
  });

  it('calls a missing key required, whatever its schema says of bad values', () => {
    const file = parseUserFile('[{"email": "a@x.com", "name": "A"}]', 'json');
    expect(file.invalid[0].problems).toEqual(['role: is required']);
  });

  it('treats null as not given', () => {
    const file = parseUserFile('[{"email": "a@x.com", "name": "A", "role": "admin", "managerEmail": null, "password": null}]', 'json');
    expect(file.rows[0].record).toEqual({ email: 'a@x.com', name: 'A', role: 'admin' });
  });

  it('reports items that are not objects', () => {
    const file = parseUserFile('[1, "x", [], null]', 'json');
    expect(problemsOf(file.invalid)).toEqual([1, 2, 3, 4].map((n) => `item ${n} at line 1: must be an object with email, name and role`));
  });

  it('reports unknown keys and missing required keys', () => {
    const file = parseUserFile('[{"email": "a@x.com", "role": "admin", "phone": "1"}]', 'json');
    expect(file.invalid[0].problems).toEqual(['name: is required', 'unknown field(s) phone']);
  });

  it('refuses JSON that is not an array', () => {
    expect(() => parseUserFile('{"email": "a@x.com"}', 'json')).toThrow(/expected a JSON array/);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseUserFile('[{"email": }]', 'json')).toThrow(/not valid JSON/);
  });
});

describe('arrayItemLines', () => {
  it('finds the line each top-level item starts on, ignoring brackets and commas inside strings and nested values', () => {
    const text = '[\n"a,]",\n{"k": [1,\n2], "s": "x\\"{"},\n\n  3\n]';
    expect(arrayItemLines(text)).toEqual([2, 3, 6]);
  });

  it('returns nothing for an empty array', () => {
    expect(arrayItemLines(' [ ] ')).toEqual([]);
  });
});

describe('checkUserRows', () => {
  const check = (text: string, existing = none) => checkUserRows(parseUserFile(text, 'csv'), existing);

  it('accepts a manager defined later in the same file', () => {
    const result = check(csv(HEADER, 'b@x.com,B,requester,a@x.com,', 'a@x.com,A,approver,,'));
    expect(result.invalid).toEqual([]);
    expect(result.valid).toHaveLength(2);
  });

  it('accepts a manager who already exists', () => {
    const result = check(csv(HEADER, 'b@x.com,B,requester,boss@x.com,'), new Set(['boss@x.com']));
    expect(result.invalid).toEqual([]);
  });

  it('marks a row whose manager is unknown as invalid', () => {
    const result = check(csv(HEADER, 'b@x.com,B,requester,ghost@x.com,'));
    expect(problemsOf(result.invalid)).toEqual(['line 2: managerEmail: no user ghost@x.com in the file or the database']);
    expect(result.valid).toEqual([]);
  });

  it('marks a row that is its own manager as invalid', () => {
    const result = check(csv(HEADER, 'a@x.com,A,approver,A@x.com,'));
    expect(problemsOf(result.invalid)).toEqual(['line 2: managerEmail: a user cannot be their own manager']);
  });

  it('marks every row of a duplicated email as invalid', () => {
    const result = check(csv(HEADER, 'a@x.com,A,approver,,', 'b@x.com,B,approver,,', 'A@x.com,A2,admin,,'));
    expect(problemsOf(result.invalid)).toEqual([
      'line 2: email: a@x.com appears more than once in the file (line 2, line 4)',
      'line 4: email: a@x.com appears more than once in the file (line 2, line 4)',
    ]);
    expect(result.valid.map((r) => r.record.email)).toEqual(['b@x.com']);
  });

  it('marks rows whose manager is an invalid row as invalid, down the chain', () => {
    const result = check(
      csv(HEADER, 'a@x.com,A,boss,,', 'b@x.com,B,approver,a@x.com,', 'c@x.com,C,requester,b@x.com,', 'd@x.com,D,requester,,'),
    );
    expect(problemsOf(result.invalid)).toEqual([
      'line 2: role: must be one of requester, approver, admin',
      'line 3: managerEmail: the manager a@x.com (line 2) is an invalid row',
      'line 4: managerEmail: the manager b@x.com (line 3) is an invalid row',
    ]);
    expect(result.valid.map((r) => r.record.email)).toEqual(['d@x.com']);
  });

  it('accepts a manager whose row is invalid when that manager already exists', () => {
    const result = check(csv(HEADER, 'a@x.com,A,boss,,', 'b@x.com,B,approver,a@x.com,'), new Set(['a@x.com']));
    expect(result.valid.map((r) => r.record.email)).toEqual(['b@x.com']);
  });

  it('lists invalid rows in file order', () => {
    const result = check(csv(HEADER, 'a@x.com,A,approver,ghost@x.com,', 'bad,B,approver,,'));
    expect(result.invalid.map((r) => r.at.line)).toEqual([2, 3]);
  });
});

describe('managerEmails', () => {
  it('lists each named manager once', () => {
    const file = parseUserFile(csv(HEADER, 'a@x.com,A,approver,m@x.com,', 'b@x.com,B,approver,m@x.com,', 'c@x.com,C,approver,,'), 'csv');
    expect(managerEmails(file)).toEqual(['m@x.com']);
  });
});
