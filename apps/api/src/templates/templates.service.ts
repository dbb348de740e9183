/**
 * Publishing templates (admins, from the API and the CLI). A definition is checked in
 * three passes and every problem is reported at once, each as `path: message`:
 * 1. structure: the shared `templateDefSchema`;
 * 2. meaning: the engine's `validateTemplate` (conditions, duplicate keys, quorum…);
 * 3. the directory: named users exist and are active, roles have active users, and
 *    every stage can resolve an approver (its own rule, its fallback or the template's).
 * Publishing adds version n+1; tickets keep the version they started with.
 */
import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import { describeZodError, templateDefSchema, type ApproverRule, type Role, type TemplateDef, type TemplateDto } from '@signoff/contracts';
import { describeProblem, validateTemplate } from '@signoff/workflow';
import { UsersRepository } from '../users/users.repository';
import { TemplatesRepository, type TemplateVersionDto } from './templates.repository';

/** Who publishes: a signed-in user (must be an admin) or the operator at the CLI. */
export type TemplateActor = { role: Role };
/** The CLI runs with direct database access: its operator is an admin by definition. */
export const CLI_OPERATOR: TemplateActor = { role: 'admin' };

/** A definition that cannot be published: a 400 whose message lists every problem (`; `-separated). */
export class TemplateProblemsException extends BadRequestException {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

export type ValidationResult = { ok: true; definition: TemplateDef } | { ok: false; problems: string[] };

/** `['stages', 2, 'condition']` → `stages[2].condition`, the engine's way of naming a place. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)),
    '',
  );
}

/** One `path: message` per zod issue, with the same paths as the engine's problems. */
function structureProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const line = describeZodError(new z.ZodError([issue]));
    if (issue.path.length === 0) return line.startsWith('body: ') ? `definition: ${line.slice(6)}` : `definition: ${line}`;
    const dotted = issue.path.map(String).join('.');
    return line.startsWith(dotted) ? `${formatPath(issue.path)}${line.slice(dotted.length)}` : line;
  });
}

/** The order of a definition's parts, so problems read top to bottom, each stage's together. */
const SECTIONS = ['definition', 'key', 'name', 'description', 'fields', 'stages', 'rules', 'fallback', 'cc'];
function byPlace(problems: string[]): string[] {
  const place = (problem: string): [number, number] => {
    const m = /^(\w+)(?:\[(\d+)\])?/.exec(problem);
    const section = m ? SECTIONS.indexOf(m[1]) : -1;
    return [section === -1 ? SECTIONS.length : section, m?.[2] === undefined ? -1 : Number(m[2])];
  };
  // Array#sort is stable: within one place the engine's problems stay before the directory's.
  return problems
    .map((problem) => ({ problem, at: place(problem) }))
    .sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1])
    .map((p) => p.problem);
}

/** Sorted keys, no undefined: two definitions that mean the same print the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const definitionOf = (t: TemplateDto): TemplateDef => {
  const { id: _id, version: _version, ...definition } = t;
  return definition;
};

@Injectable()
export class TemplatesService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(TemplatesRepository) private readonly templates: TemplatesRepository,
  ) {}

  /** Every problem of a definition, or the normalized definition (trimmed, lower-cased emails). */
  async validate(input: unknown): Promise<ValidationResult> {
    const parsed = templateDefSchema.safeParse(input);
    // Without the right structure the later checks cannot even walk the definition.
    if (!parsed.success) return { ok: false, problems: structureProblems(parsed.error) };
    const definition = parsed.data as TemplateDef;
    const problems = byPlace([...validateTemplate(definition).map(describeProblem), ...(await this.directoryProblems(definition))]);
    return problems.length > 0 ? { ok: false, problems } : { ok: true, definition };
  }

  /** Validates, then publishes the next version. Throws TemplateProblemsException (400) listing every problem. */
  async publish(actor: TemplateActor, input: unknown): Promise<TemplateDto> {
    return (await this.publishIfChanged(actor, input, { skipUnchanged: false })).template;
  }

  /**
   * Like publish; with `skipUnchanged` a definition equal to the latest version publishes
   * nothing and returns that version with `changed: false` (the CLI's re-import).
   */
  async publishIfChanged(
    actor: TemplateActor,
    input: unknown,
    options: { skipUnchanged: boolean },
  ): Promise<{ template: TemplateDto; changed: boolean }> {
    this.assertAdmin(actor);
    const result = await this.validate(input);
    if (!result.ok) throw new TemplateProblemsException(result.problems);
    if (options.skipUnchanged) {
      const latest = await this.templates.findLatest(result.definition.key);
      if (latest && canonical(definitionOf(latest)) === canonical(result.definition)) return { template: latest, changed: false };
    }
    return { template: await this.templates.publish(result.definition), changed: true };
  }

  /** The latest version of a template; any signed-in user may read it (they submit from it). */
  async latest(key: string): Promise<TemplateDto> {
    const template = await this.templates.findLatest(key);
    if (!template) throw new NotFoundException(`No template "${key}".`);
    return template;
  }

  /** Every version of a template, newest first. */
  async versions(actor: TemplateActor, key: string): Promise<TemplateVersionDto[]> {
    this.assertAdmin(actor);
    const versions = await this.templates.listVersions(key);
    if (versions.length === 0) throw new NotFoundException(`No template "${key}".`);
    return versions;
  }

  private assertAdmin(actor: TemplateActor) {
    if (actor.role !== 'admin') throw new ForbiddenException('Only admins may manage templates.');
  }

  /** Named users exist and are active, roles have someone, and each stage can resolve an approver. */
  private async directoryProblems(def: TemplateDef): Promise<string[]> {
    const rules: Array<[string, ApproverRule]> = [];
    def.stages.forEach((stage, i) => {
      rules.push([`stages[${i}].approver`, stage.approver]);
      if (stage.fallback) rules.push([`stages[${i}].fallback`, stage.fallback]);
    });
    if (def.fallback) rules.push(['fallback', def.fallback]);
    const ccEmails: Array<[string, string]> = [
      ...(def.cc?.atStart ?? []).map((e, j): [string, string] => [`cc.atStart[${j}]`, e]),
      ...(def.cc?.atFinish ?? []).map((e, j): [string, string] => [`cc.atFinish[${j}]`, e]),
    ];

    const emails = new Set(ccEmails.map(([, e]) => e));
    const roles = new Set<Role>();
    for (const [, rule] of rules) {
      if (rule.kind === 'user') emails.add(rule.email);
      if (rule.kind === 'users') rule.emails.forEach((e) => emails.add(e));
      if (rule.kind === 'role') roles.add(rule.role);
    }
    const found = new Map((await this.users.findByEmails([...emails])).map((u) => [u.email, u.active]));
    const staffed = new Map<Role, boolean>();
    for (const role of roles) staffed.set(role, (await this.users.findActiveByRole(role)).length > 0);

    const problems: string[] = [];
    const checkEmail = (path: string, email: string) => {
      const active = found.get(email);
      if (active === undefined) problems.push(`${path}: no user with email ${email}`);
      else if (!active) problems.push(`${path}: ${email} is disabled`);
    };
    for (const [path, rule] of rules) {
      if (rule.kind === 'user') checkEmail(`${path}.email`, rule.email);
      if (rule.kind === 'users') rule.emails.forEach((e, j) => checkEmail(`${path}.emails[${j}]`, e));
      if (rule.kind === 'role' && !staffed.get(rule.role)) problems.push(`${path}.role: no active user has the role ${rule.role}`);
    }
    for (const [path, email] of ccEmails) checkEmail(path, email);

    /** Whether the rule can name someone: rules relative to the requester are decided per ticket. */
    const resolves = (rule: ApproverRule | undefined): boolean => {
      if (!rule) return false;
      switch (rule.kind) {
        case 'user':
          return found.get(rule.email) === true;
        case 'users':
          return rule.emails.some((e) => found.get(e) === true);
        case 'role':
          return staffed.get(rule.role) === true;
        case 'manager':
        case 'managerChain':
        case 'requesterPick':
          return true;
      }
    };
    const templateFallback = resolves(def.fallback);
    def.stages.forEach((stage, i) => {
      if (resolves(stage.approver) || resolves(stage.fallback) || templateFallback) return;
      problems.push(
        `stages[${i}].approver: no one can approve this stage: the rule resolves no active user` +
          (stage.fallback || def.fallback ? ' and neither does a fallback' : ' and there is no fallback (stage or template)'),
      );
    });
    return problems;
  }
}
