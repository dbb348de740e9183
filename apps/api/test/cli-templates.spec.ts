/**
 * The templates commands of the admin CLI, in-process through runCli against a real,
 * migrated and seeded Postgres (the demo users are the approvers the files name).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemplateDef } from '@signoff/contracts';
import { EXPENSE_TEMPLATE } from '../src/seed/demo-templates';
import { TemplatesRepository } from '../src/templates/templates.repository';
import { inProcessCli, inputFile } from './cli-harness';
import { dropTestDatabase, openTestDatabase } from './harness';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const EXAMPLE_YAML = path.join(REPO_ROOT, 'docs/templates/purchase-example.yaml');

let url: string;
let dataSource: DataSource;
let templates: TemplatesRepository;
let dir: string;
const { cli, closes: closeCount } = inProcessCli(() => dataSource);

beforeAll(async () => {
  ({ url, dataSource } = await openTestDatabase());
  templates = new TemplatesRepository(dataSource);
  dir = await mkdtemp(path.join(tmpdir(), 'signoff-cli-templates-'));
});

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  if (url) await dropTestDatabase(url);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const file = (name: string, text: string) => inputFile(dir, name, text);

const versions = async (key: string) => (await templates.listVersions(key)).map((v) => v.version);

const template = (key: string, extra: Partial<TemplateDef> = {}): TemplateDef => ({ ...EXPENSE_TEMPLATE, key, ...extra });

describe('templates:import', () => {
  it('publishes a JSON file as version 1 of a new key', async () => {
    const result = await cli('templates:import', await file('travel.json', JSON.stringify(template('travel'), null, 2)));

    expect(result).toMatchObject({ code: 0, out: 'published travel v1\n', err: '' });
    expect((await templates.findLatest('travel'))!.stages.map((s) => s.key)).toEqual(['manager', 'finance']);
  });

  it('publishes the YAML example of the docs', async () => {
    const result = await cli('templates:import', EXAMPLE_YAML);

    expect(result).toMatchObject({ code: 0, out: 'published purchase-example v1\n' });
    const saved = await templates.findLatest('purchase-example');
    expect(saved!.stages.map((s) => s.key)).toEqual(['manager', 'it-lead', 'budget-committee', 'payment']);
    expect(saved!.stages[2].condition).toBe('amount > 5000');
    expect(saved!.name.zh).toBe('采购申请（示例）');
  });

  it('accepts the .yml extension', async () => {
    const yml = [
      'key: yml-example',
      'name: { en: Yml, zh: 示例 }',
      'description: { en: D, zh: 说明 }',
      'fields: []',
      'stages:',
      '  - { key: lead, name: { en: Lead, zh: 主管 }, mode: single, approver: { kind: manager } }',
    ].join('\n');
    const result = await cli('templates:import', await file('t.yml', yml));

    expect(result).toMatchObject({ code: 0, out: 'published yml-example v1\n' });
  });

  it('re-importing an unchanged file publishes nothing and says unchanged', async () => {
    const json = await file('stable.json', JSON.stringify(template('stable')));
    await cli('templates:import', json);

    const again = await cli('templates:import', json);

    expect(again).toMatchObject({ code: 0, out: 'unchanged stable v1\n' });
    expect(await versions('stable')).toEqual([1]);
  });

  it('importing a changed file publishes the next version', async () => {
    await cli('templates:import', await file('grow.json', JSON.stringify(template('grow'))));

    const changed = template('grow', {
      stages: [
        ...EXPENSE_TEMPLATE.stages,
        { key: 'ops', name: { en: 'Ops', zh: '运维' }, mode: 'single', approver: { kind: 'user', email: 'ops@signoff.local' } },
      ],
    });
    const result = await cli('templates:import', await file('grow.json', JSON.stringify(changed)));

    expect(result).toMatchObject({ code: 0, out: 'published grow v2\n' });
    expect(await versions('grow')).toEqual([2, 1]);
    expect((await templates.findLatest('grow'))!.stages).toHaveLength(3);
  });

  it('exits 1 listing every problem with its path, and publishes nothing', async () => {
    const before = await versions('expense');
    const bad = [
      'key: expense',
      'name: { en: Expense claim, zh: 费用报销 }',
      'description: { en: D, zh: 说明 }',
      'fields:',
      '  - { key: amount, label: { en: Amount, zh: 金额 }, type: number, required: true }',
      'stages:',
      '  - { key: manager, name: { en: M, zh: 主管 }, mode: single, approver: { kind: manager }, condition: "amout > 5" }',
      '  - { key: manager, name: { en: F, zh: 财务 }, mode: single, approver: { kind: user, email: ghost@signoff.local } }',
    ].join('\n');

    const result = await cli('templates:import', await file('bad.yaml', bad));

    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/^error: .*bad\.yaml: template "expense" has 4 problems; nothing was published:\n/);
    expect(result.err).toContain('  stages[0].condition: unknown field "amout" at position 0\n');
    expect(result.err).toContain('  stages[1].key: duplicate key "manager"\n');
    expect(result.err).toContain('  stages[1].approver.email: no user with email ghost@signoff.local\n');
    expect(result.err).toContain('  stages[1].approver: no one can approve this stage');
    expect(await versions('expense')).toEqual(before);
  });

  it('reports structural problems with their paths', async () => {
    const result = await cli('templates:import', await file('shape.json', JSON.stringify({ ...template('shape'), stages: [], extra: 1 })));

    expect(result.code).toBe(1);
    expect(result.err).toContain('  definition: unknown field(s) extra\n');
    expect(result.err).toContain('  stages: needs at least one stage\n');
    expect(await versions('shape')).toEqual([]);
  });

  it('fails with a clear message for a file that cannot be parsed', async () => {
    const json = await cli('templates:import', await file('broken.json', '{"key": '));
    const yaml = await cli('templates:import', await file('broken.yaml', 'key: [unclosed\nname: x\n'));

    expect(json.code).toBe(1);
    expect(json.err).toMatch(/^error: .*broken\.json: not valid JSON/);
    expect(yaml.code).toBe(1);
    expect(yaml.err).toMatch(/^error: .*broken\.yaml: not valid YAML: .*line/);
  });

  it('fails with a clear message for a missing file or an unsupported extension', async () => {
    const missing = await cli('templates:import', path.join(dir, 'missing.yaml'));
    const txt = await cli('templates:import', await file('t.txt', '{}'));

    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^error: file not found: .*missing\.yaml/);
    expect(txt.code).toBe(1);
    expect(txt.err).toContain('unsupported file type; expected a .json, .yaml or .yml file');
  });
});

describe('templates:list', () => {
  it('prints key, latest version, name and number of stages', async () => {
    await cli('templates:import', await file('v2.json', JSON.stringify(template('listed'))));
    await cli(
      'templates:import',
      await file('v2b.json', JSON.stringify(template('listed', { stages: EXPENSE_TEMPLATE.stages.slice(0, 1) }))),
    );

    const result = await cli('templates:list');

    expect(result.code).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['KEY', 'VERSION', 'NAME', 'STAGES']);
    expect(result.out).toMatch(/^expense\s+1\s+Expense claim \/ 费用报销\s+2$/m);
    expect(result.out).toMatch(/^listed\s+2\s+Expense claim \/ 费用报销\s+1$/m);
  });

  it('with --json prints a JSON array', async () => {
    const result = await cli('templates:list', '--json');

    expect(JSON.parse(result.out)).toContainEqual({ key: 'expense', version: 1, name: EXPENSE_TEMPLATE.name, stages: 2 });
  });
});

describe('the program', () => {
  it.each(['templates:import', 'templates:list'])(
    '%s --help prints usage with an example, without opening the database',
    async (command) => {
      const before = closeCount();
      const result = await cli(command, '--help');

      expect(result.code).toBe(0);
      expect(result.out).toContain(`Usage: signoff-cli ${command}`);
      expect(result.out).toContain(`Example:\n  signoff-cli ${command}`);
      expect(closeCount()).toBe(before);
    },
  );

  it('closes the database after an import, also when it fails', async () => {
    const before = closeCount();
    await cli('templates:import', await file('bad.json', JSON.stringify({ key: 'x' })));
    await cli('templates:list');

    expect(closeCount()).toBe(before + 2);
  });
});
