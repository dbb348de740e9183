import { describe, expect, it } from 'vitest';
import type { FieldDef } from '@signoff/contracts';
import { checkConditionFields, constantValue, evaluate, parseCondition, referencedFields, type ConditionAst } from './conditions';

const ast = (src: string): ConditionAst => {
  const parsed = parseCondition(src);
  if (!parsed.ok) throw new Error(`${parsed.error.message} @${parsed.error.position}`);
  return parsed.ast;
};
const run = (src: string, fields: Record<string, string | number | null>) => evaluate(ast(src), fields);
const label = { en: '', zh: '' };
const defs: FieldDef[] = [
  { key: 'amount', label, type: 'number', required: true },
  {
    key: 'department',
    label,
    type: 'choice',
    required: true,
    options: [
      { value: 'IT', label },
      { value: 'HR', label },
    ],
  },
  { key: 'note', label, type: 'text', required: false },
  { key: 'start', label, type: 'date', required: false },
];

describe('parseCondition / evaluate', () => {
  it('compares numbers and strings and combines with and/or/not', () => {
    expect(run('amount > 5000 and department == "IT"', { amount: 6000, department: 'IT' })).toBe(true);
    expect(run('amount > 5000 and department == "IT"', { amount: 6000, department: 'HR' })).toBe(false);
    expect(run('amount <= 100 or not (department != "HR")', { amount: 500, department: 'HR' })).toBe(true);
    expect(run("department == 'IT'", { department: 'IT' })).toBe(true);
  });

  it('binds "and" tighter than "or"', () => {
    expect(run('amount > 1 or amount > 100 and amount < 0', { amount: 5 })).toBe(true);
    expect(run('(amount > 1 or amount > 100) and amount < 0', { amount: 5 })).toBe(false);
  });

  it('supports in [...] and not in [...]', () => {
    expect(run('department in ["IT", "HR"]', { department: 'HR' })).toBe(true);
    expect(run('department not in ["IT", "HR"]', { department: 'HR' })).toBe(false);
    expect(run('amount in [1, 2, -3.5]', { amount: -3.5 })).toBe(true);
  });

  it('treats a missing or empty field as null: orderings are false, == null is true', () => {
    expect(run('amount > 5', {})).toBe(false);
    expect(run('note == null', { note: '' })).toBe(true);
    expect(run('not (amount > 5)', {})).toBe(true);
  });

  it('accepts &&, || and ! as aliases', () => {
    expect(run('!(amount > 5) || amount == 7 && true', { amount: 7 })).toBe(true);
  });

  it('reports syntax errors with their position', () => {
    expect(parseCondition('amount > ')).toEqual({ ok: false, error: expect.objectContaining({ position: 9 }) });
    expect(parseCondition('amount = 5')).toEqual({ ok: false, error: { message: 'use "==" to compare', position: 7 } });
    expect(parseCondition('(amount > 5')).toMatchObject({ ok: false, error: { position: 11 } });
    expect(parseCondition('"open')).toMatchObject({ ok: false, error: { message: 'unterminated string', position: 0 } });
    expect(parseCondition('amount > 5 5')).toMatchObject({ ok: false, error: { position: 11 } });
    expect(parseCondition('')).toMatchObject({ ok: false });
    expect(parseCondition('amount; process.exit()')).toMatchObject({ ok: false, error: { position: 6 } });
  });

  it('refuses very deep nesting instead of overflowing the stack', () => {
    expect(parseCondition('('.repeat(500) + 'true' + ')'.repeat(500))).toMatchObject({ ok: false });
    expect(parseCondition('not '.repeat(500) + 'true')).toMatchObject({ ok: false });
  });

  it('never runs the source as code', () => {
    expect(parseCondition('constructor.constructor("return 1")()')).toMatchObject({ ok: false });
    expect(run('constructor == null', {})).toBe(true);
  });
});

describe('referencedFields', () => {
  it('lists each field once, in order', () => {
    expect(referencedFields(ast('b > 1 and (a == "x" or b < 3) and c in [1]'))).toEqual(['b', 'a', 'c']);
  });
});

describe('checkConditionFields', () => {
  const messages = (src: string) => checkConditionFields(ast(src), defs).map((e) => e.message);
  it('accepts well-typed conditions', () => {
    expect(messages('amount > 5000 and department == "IT" and start >= "2026-01-01"')).toEqual([]);
  });
  it('names unknown fields', () => {
    expect(messages('amout > 5')).toEqual(['unknown field "amout"']);
  });
  it('refuses comparing different types and ordering non-numbers', () => {
    expect(messages('amount == "5"')).toEqual(['cannot compare number with string']);
    expect(messages('true > false')).toEqual(['">" needs numbers or dates']);
  });
  it('refuses choice values that are not options', () => {
    expect(messages('department == "ITT"')).toEqual(['"ITT" is not an option of field "department"']);
    expect(messages('department in ["IT", "Ops"]')).toEqual(['"Ops" is not an option of field "department"']);
  });
  it('refuses a condition that is not a yes/no question', () => {
    expect(messages('amount')).toEqual(['expected a comparison (like "amount > 5000"), found a number']);
    expect(messages('amount > 1 and note')).toEqual(['expected a comparison (like "amount > 5000"), found a string']);
  });
});

describe('constantValue', () => {
  it('folds conditions that read no field', () => {
    expect(constantValue(ast('1 > 2'))).toBe(false);
    expect(constantValue(ast('amount > 2'))).toBeUndefined();
  });
});
