/**
 * Plans a ticket's route: resolves each stage's approvers (only for the stages whose
 * condition holds), substitutes out-of-office delegates, and lets the engine apply its
 * rules. Used to start a ticket and to preview the route before submitting.
 */
import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FieldValues, RuleNoteDto, TemplateDef, UserDto } from '@signoff/contracts';
import { planFlow, stagesThatApply, type ApprovalTransition, type StageResolution } from '@signoff/workflow';
import { DelegationsRepository } from '../delegations/delegations.repository';
import { UsersRepository } from '../users/users.repository';
import { ApproverResolver } from './approver-resolver';
import { refsFrom } from './ticket.mapper';

export interface PlannedRoute {
  transition: ApprovalTransition;
  /** Delegations applied, as log notes. */
  delegationNotes: RuleNoteDto[];
}

export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

@Injectable()
export class RoutePlanner {
  constructor(
    @Inject(ApproverResolver) private readonly resolver: ApproverResolver,
    @Inject(DelegationsRepository) private readonly delegations: DelegationsRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
  ) {}

  async plan(
    template: TemplateDef,
    requester: UserDto,
    fields: FieldValues,
    picks: Record<string, string[]> | undefined,
    at: Date,
  ): Promise<PlannedRoute> {
    for (const key of Object.keys(picks ?? {})) {
      const stage = template.stages.find((s) => s.key === key);
      if (stage?.approver.kind !== 'requesterPick')
        throw new BadRequestException(`approvers.${key}: this stage's approvers are not chosen by the requester.`);
    }
    const applies = new Set(stagesThatApply(template, fields));
    const templateFallbackIds = await this.resolver.resolve(template.fallback, requester, undefined, 'fallback');
    const resolved: Record<string, StageResolution> = {};
    for (const stage of template.stages) {
      const stepId = randomUUID();
      if (!applies.has(stage.key)) {
        resolved[stage.key] = { stepId, approverIds: [] };
        continue;
      }
      resolved[stage.key] = {
        stepId,
        approverIds: await this.resolver.resolve(stage.approver, requester, picks?.[stage.key], stage.key),
        stageFallbackIds: await this.resolver.resolve(stage.fallback, requester, undefined, stage.key),
        templateFallbackIds,
      };
    }

    // Out of office: the delegate takes the task, on behalf of the approver.
    const everyone = Object.values(resolved).flatMap((r) => [
      ...r.approverIds,
      ...(r.stageFallbackIds ?? []),
      ...(r.templateFallbackIds ?? []),
    ]);
    const activeAdmins = await this.resolver.activeAdmins();
    const away = await this.delegations.activeOn([...new Set([...everyone, ...activeAdmins])], dayOf(at));
    const substitute = (ids: string[] | undefined) => ids?.map((id) => away.get(id) ?? id);
    /**
     * Per stage, delegate → the approver they stand in for, taken from the list the engine
     * will use (the first non-empty of approvers, stage fallback, template fallback, admins:
     * see planFlow). A delegate who is also an approver of the stage in their own right
     * acts for themselves.
     */
    const standIns = new Map<string, Map<string, string>>();
    for (const [stageKey, r] of Object.entries(resolved)) {
      const used = [r.approverIds, r.stageFallbackIds, r.templateFallbackIds, activeAdmins].find((ids) => ids?.length) ?? [];
      const map = new Map<string, string>();
      for (const id of used) {
        const delegate = away.get(id);
        if (delegate && !used.includes(delegate)) map.set(delegate, id);
      }
      standIns.set(stageKey, map);
    }
    for (const r of Object.values(resolved)) {
      r.approverIds = substitute(r.approverIds)!;
      r.stageFallbackIds = substitute(r.stageFallbackIds);
      r.templateFallbackIds = substitute(r.templateFallbackIds);
    }

    const adminIds = substitute(activeAdmins)!;
    const plan = planFlow(template, fields, resolved, { requesterId: requester.id, adminIds, at: at.toISOString() });
    if (!plan.ok) throw new ConflictException(`This ticket cannot be routed: ${plan.error}.`);

    const delegated: Array<{ stageKey: string; delegate: string; user: string }> = [];
    const flow = {
      ...plan.value.flow,
      steps: plan.value.flow.steps.map((step) => ({
        ...step,
        tasks: step.tasks.map((task) => {
          const original = standIns.get(step.key)?.get(task.assigneeId);
          if (!original) return task;
          delegated.push({ stageKey: step.key, delegate: task.assigneeId, user: original });
          return { ...task, onBehalfOf: original };
        }),
      })),
    };
    const ref = refsFrom(await this.users.findByIds(delegated.flatMap((d) => [d.delegate, d.user])));
    const delegationNotes = delegated.map((d): RuleNoteDto => ({
      rule: 'delegated',
      stageKey: d.stageKey,
      user: ref(d.delegate),
      detail: `on behalf of ${ref(d.user).name}`,
    }));
    return { transition: { ...plan.value, flow }, delegationNotes };
  }
}
