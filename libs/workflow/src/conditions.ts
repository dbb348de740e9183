/**
 * Stage conditions: a tiny expression language over a ticket's form fields, read by a
 * tokenizer and a recursive-descent parser into an AST. Nothing is ever evaluated as
 * JavaScript (no eval, no Function).
 *
 *   amount > 5000 and department == "IT"
 *   not (priority in ["low", "normal"]) or urgent == true
 *
 * Grammar (lowest precedence first):
 *   expr       := or
 *   or         := and ("or" and)*
 *   and        := unary ("and" unary)*
 *   unary      := "not" unary | comparison
 *   comparison := operand (("==" | "!=" | ">" | ">=" | "<" | "<=") operand | "not"? "in" list)?
 *   operand    := literal | field | "(" expr ")"
 *   list       := "[" (literal ("," literal)*)? "]"
 *   literal    := number | "-" number | string | "true" | "false" | "null"
 * `&&`, `||` and `!` are accepted for and, or, not.
 */
import type { FieldDef, FieldValues } from '@signoff/contracts';

export type Literal = string | number | boolean | null;
export type CompareOp = '==' | '!=' | '>' | '>=' | '<' | '<=';

export type ConditionAst =
  | { kind: 'literal'; value: Literal; pos: number }
  | { kind: 'field'; name: string; pos: number }
  | { kind: 'compare'; op: CompareOp; left: ConditionAst; right: ConditionAst; pos: number }
  | { kind: 'in'; negated: boolean; operand: ConditionAst; values: Literal[]; pos: number }
  | { kind: 'and' | 'or'; left: ConditionAst; right: ConditionAst; pos: number }
  | { kind: 'not'; operand: ConditionAst; pos: number };

export interface ConditionError {
  message: string;
  /** 0-based offset into the source. */
  position: number;
}

export type ParseResult = { ok: true; ast: ConditionAst } | { ok: false; error: ConditionError };

export const CONDITION_MAX_LENGTH = 2000;
const MAX_DEPTH = 64;

type TokenKind = 'number' | 'string' | 'ident' | 'op' | 'punct' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  value?: string | number;
  pos: number;
}

class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_.]/u;
const DIGIT = /[0-9]/;
const TWO_CHAR_OPS = ['==', '!=', '>=', '<=', '&&', '||'];

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(src[i + 1] ?? ''))) {
      while (i < src.length && DIGIT.test(src[i])) i++;
      if (src[i] === '.') {
        i++;
        if (!DIGIT.test(src[i] ?? '')) throw new ConditionSyntaxError('a number needs digits after "."', i);
        while (i < src.length && DIGIT.test(src[i])) i++;
      }
      if (i < src.length && IDENT_START.test(src[i])) throw new ConditionSyntaxError(`unexpected "${src[i]}" after a number`, i);
      tokens.push({ kind: 'number', text: src.slice(start, i), value: Number(src.slice(start, i)), pos: start });
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ConditionSyntaxError('unterminated string', start);
        const d = src[i];
        if (d === c) break;
        if (d === '\\') {
          const e = src[i + 1];
          if (e !== c && e !== '\\') throw new ConditionSyntaxError(`unknown escape "\\${e ?? ''}"`, i);
          value += e;
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      i++;
      tokens.push({ kind: 'string', text: src.slice(start, i), value, pos: start });
      continue;
    }
    if (IDENT_START.test(c)) {
      while (i < src.length && IDENT_PART.test(src[i])) i++;
      tokens.push({ kind: 'ident', text: src.slice(start, i), pos: start });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (TWO_CHAR_OPS.includes(two)) {
      tokens.push({ kind: 'op', text: two, pos: start });
      i += 2;
      continue;
    }
    if ('<>!-'.includes(c)) {
      tokens.push({ kind: 'op', text: c, pos: start });
      i++;
      continue;
    }
    if ('()[],'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, pos: start });
      i++;
      continue;
    }
    if (c === '=') throw new ConditionSyntaxError('use "==" to compare', i);
    throw new ConditionSyntaxError(`unexpected character "${c}"`, i);
  }
  tokens.push({ kind: 'end', text: '', pos: src.length });
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);
const COMPARE_OPS: readonly string[] = ['==', '!=', '>', '>=', '<', '<='];

class Parser {
  private index = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index];
  }
  private next() {
    return this.tokens[this.index++];
  }
  private isWord(word: string, token = this.peek()) {
    return token.kind === 'ident' && token.text === word;
  }
  private isOp(...ops: string[]) {
    return (this.peek().kind === 'op' || this.peek().kind === 'punct') && ops.includes(this.peek().text);
  }
  private expect(text: string, what: string) {
    if (this.peek().text !== text || (this.peek().kind !== 'punct' && this.peek().kind !== 'op')) this.fail(`expected ${what}`);
    return this.next();
  }
  private fail(expected: string): never {
    const t = this.peek();
    throw new ConditionSyntaxError(`${expected}, found ${t.kind === 'end' ? 'the end' : `"${t.text}"`}`, t.pos);
  }
  private nested<T>(pos: number, read: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new ConditionSyntaxError('expression is nested too deeply', pos);
    try {
      return read();
    } finally {
      this.depth--;
    }
  }

  parse(): ConditionAst {
    if (this.peek().kind === 'end') this.fail('expected a condition');
    const ast = this.or();
    if (this.peek().kind !== 'end') this.fail('expected "and", "or" or the end');
    return ast;
  }

  private or(): ConditionAst {
    let left = this.and();
    while (this.isWord('or') || this.isOp('||')) {
      const pos = this.next().pos;
      left = { kind: 'or', left, right: this.and(), pos };
    }
    return left;
  }

  private and(): ConditionAst {
    let left = this.unary();
    while (this.isWord('and') || this.isOp('&&')) {
      const pos = this.next().pos;
      left = { kind: 'and', left, right: this.unary(), pos };
    }
    return left;
  }

  private unary(): ConditionAst {
    if (this.isWord('not') || this.isOp('!')) {
      const pos = this.next().pos;
      return this.nested(pos, () => ({ kind: 'not', operand: this.unary(), pos }));
    }
    return this.comparison();
  }

  private comparison(): ConditionAst {
    const left = this.operand();
    if (this.isOp(...COMPARE_OPS)) {
      const token = this.next();
      return { kind: 'compare', op: token.text as CompareOp, left, right: this.operand(), pos: token.pos };
    }
    const negated = this.isWord('not') && this.isWord('in', this.tokens[this.index + 1]);
    if (negated || this.isWord('in')) {
      const pos = this.peek().pos;
      if (negated) this.next();
      this.next();
      return { kind: 'in', negated, operand: left, values: this.list(), pos };
    }
    return left;
  }

  private operand(): ConditionAst {
    const token = this.peek();
    if (this.isOp('(')) {
      this.next();
      const inner = this.nested(token.pos, () => this.or());
      this.expect(')', '")"');
      return inner;
    }
    if (token.kind === 'ident' && !KEYWORDS.has(token.text)) {
      this.next();
      return { kind: 'field', name: token.text, pos: token.pos };
    }
    return { kind: 'literal', value: this.literal(), pos: token.pos };
  }

  private literal(): Literal {
    const token = this.peek();
    if (token.kind === 'number' || token.kind === 'string') {
      this.next();
      return token.value!;
    }
    if (this.isOp('-') && this.tokens[this.index + 1].kind === 'number') {
      this.next();
      return -(this.next().value as number);
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.isWord(word)) {
        this.next();
        return value;
      }
    }
    this.fail('expected a value (a field, a number, a "string", true, false or null)');
  }

  private list(): Literal[] {
    this.expect('[', '"[" after "in"');
    const values: Literal[] = [];
    if (!this.isOp(']')) {
      values.push(this.literal());
      while (this.isOp(',')) {
        this.next();
        values.push(this.literal());
      }
    }
    this.expect(']', '"," or "]"');
    return values;
  }
}

export function parseCondition(src: string): ParseResult {
  if (src.length > CONDITION_MAX_LENGTH) {
    return { ok: false, error: { message: `is longer than ${CONDITION_MAX_LENGTH} characters`, position: CONDITION_MAX_LENGTH } };
  }
  try {
    return { ok: true, ast: new Parser(tokenize(src)).parse() };
  } catch (e) {
    if (e instanceof ConditionSyntaxError) return { ok: false, error: { message: e.message, position: e.position } };
    throw e;
  }
}

/** "expected ")", found the end at position 12" */
export const describeConditionError = (error: ConditionError) => `${error.message} at position ${error.position}`;

type Value = Literal;

function value(ast: ConditionAst, fields: FieldValues): Value {
  switch (ast.kind) {
    case 'literal':
      return ast.value;
    case 'field': {
      // Own keys only: `constructor` or `__proto__` must not reach Object.prototype.
      const v = Object.hasOwn(fields, ast.name) ? fields[ast.name] : null;
      return typeof v === 'string' || typeof v === 'number' ? (v === '' ? null : v) : null;
    }
    default:
      return evaluate(ast, fields);
  }
}

function compare(op: CompareOp, a: Value, b: Value): boolean {
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  // Ordering only between two numbers or two strings (dates are ISO strings); anything else is false.
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
  }
}

/**
 * The condition's truth for these field values. A missing or empty field is `null`; an
 * ordering against `null` or a value of another type is false; a bare value is true only
 * when it is `true`.
 */
export function evaluate(ast: ConditionAst, fields: FieldValues): boolean {
  switch (ast.kind) {
    case 'literal':
    case 'field':
      return value(ast, fields) === true;
    case 'compare':
      return compare(ast.op, value(ast.left, fields), value(ast.right, fields));
    case 'in': {
      const v = value(ast.operand, fields);
      return ast.values.includes(v) !== ast.negated;
    }
    case 'and':
      return evaluate(ast.left, fields) && evaluate(ast.right, fields);
    case 'or':
      return evaluate(ast.left, fields) || evaluate(ast.right, fields);
    case 'not':
      return !evaluate(ast.operand, fields);
  }
}

/** Field keys the condition reads, each once, in order of first use. */
export function referencedFields(ast: ConditionAst): string[] {
  const names: string[] = [];
  const walk = (node: ConditionAst): void => {
    switch (node.kind) {
      case 'field':
        if (!names.includes(node.name)) names.push(node.name);
        return;
      case 'literal':
        return;
      case 'compare':
      case 'and':
      case 'or':
        walk(node.left);
        walk(node.right);
        return;
      case 'in':
      case 'not':
        walk(node.operand);
    }
  };
  walk(ast);
  return names;
}

type ValueType = 'number' | 'string' | 'boolean' | 'null';

function literalType(v: Literal): ValueType {
  return v === null ? 'null' : (typeof v as ValueType);
}

const FIELD_VALUE_TYPE: Record<FieldDef['type'], ValueType> = { number: 'number', text: 'string', date: 'string', choice: 'string' };

/**
 * Checks a parsed condition against a template's fields: every field exists, both sides
 * of a comparison have the same type, ordering only on numbers and dates, choice values
 * are among the options, and the whole thing is a yes/no question.
 */
export function checkConditionFields(ast: ConditionAst, defs: FieldDef[]): ConditionError[] {
  const errors: ConditionError[] = [];
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const typeOf = (node: ConditionAst): ValueType | 'unknown' => {
    if (node.kind === 'literal') return literalType(node.value);
    if (node.kind === 'field') {
      const def = byKey.get(node.name);
      if (!def) {
        errors.push({ message: `unknown field "${node.name}"`, position: node.pos });
        return 'unknown';
      }
      return FIELD_VALUE_TYPE[def.type];
    }
    check(node);
    return 'boolean';
  };
  const checkChoice = (field: ConditionAst, literal: ConditionAst | Literal, pos: number) => {
    if (field.kind !== 'field') return;
    const def = byKey.get(field.name);
    const v = typeof literal === 'object' && literal !== null ? (literal.kind === 'literal' ? literal.value : undefined) : literal;
    if (def?.type === 'choice' && typeof v === 'string' && !(def.options ?? []).some((o) => o.value === v)) {
      errors.push({ message: `"${v}" is not an option of field "${field.name}"`, position: pos });
    }
  };
  const check = (node: ConditionAst): void => {
    switch (node.kind) {
      case 'compare': {
        const left = typeOf(node.left);
        const right = typeOf(node.right);
        if (left !== 'unknown' && right !== 'unknown' && left !== 'null' && right !== 'null' && left !== right) {
          errors.push({ message: `cannot compare ${left} with ${right}`, position: node.pos });
        } else if (!['==', '!='].includes(node.op) && (left === 'boolean' || left === 'null' || right === 'null')) {
          errors.push({ message: `"${node.op}" needs numbers or dates`, position: node.pos });
        }
        checkChoice(node.left, node.right, node.right.pos);
        checkChoice(node.right, node.left, node.left.pos);
        return;
      }
      case 'in': {
        const type = typeOf(node.operand);
        for (const v of node.values) {
          const t = literalType(v);
          if (type !== 'unknown' && t !== 'null' && t !== type) {
            errors.push({ message: `cannot compare ${type} with ${t} in the list`, position: node.pos });
            break;
          }
          checkChoice(node.operand, v, node.pos);
        }
        return;
      }
      case 'and':
      case 'or':
        requireBoolean(node.left);
        requireBoolean(node.right);
        return;
      case 'not':
        requireBoolean(node.operand);
        return;
    }
  };
  const requireBoolean = (node: ConditionAst) => {
    const type = typeOf(node);
    if (type !== 'boolean' && type !== 'unknown') {
      errors.push({ message: `expected a comparison (like "amount > 5000"), found a ${type}`, position: node.pos });
    }
  };
  requireBoolean(ast);
  return errors;
}

/** The condition's value when it reads no field (e.g. `1 > 2`), else undefined. */
export function constantValue(ast: ConditionAst): boolean | undefined {
  return referencedFields(ast).length === 0 ? evaluate(ast, {}) : undefined;
}
