import { describe, expect, it } from 'vitest';
import type { FlowDto, StepDto, TaskDto, UserRef } from './dto';
import { END_NODE_KEY, flowToTreeModel, START_NODE_KEY, STATUS_COLORS } from './flow-diagram';

const person = (name: string): UserRef => ({
  id: name.toLowerCase().replace(' ', '-'),
  name,
  email: `${name.split(' ')[0].toLowerCase()}@x`,
});
const liWei = person('Li Wei');
const wangFang = person('Wang Fang');
const chenJing = person('Chen Jing');
const task = (assignee: UserRef, status: TaskDto['status'], extra: Partial<TaskDto> = {}): TaskDto => ({
  id: `${assignee.id}-task`,
  assignee,
  onBehalfOf: null,
  addedBy: null,
  status,
  decidedAt: null,
  comment: null,
  order: 0,
  auto: null,
  ...extra,
});
const step = (key: string, status: StepDto['status'], tasks: TaskDto[], extra: Partial<StepDto> = {}): StepDto => ({
  id: key,
  key,
  name: { en: key, zh: key },
  position: 0,
  status,
  mode: 'single',
  quorum: null,
  round: 0,
  skipReason: null,
  approvers: tasks.map((t) => t.assignee),
  tasks,
  progress: { approved: 0, rejected: 0, required: 1, total: tasks.length },
  decidedBy: null,
  decision: null,
  decidedAt: null,
  comment: null,
  ...extra,
});
const ticket = (status: 'pending' | 'approved' | 'rejected' | 'returned' | 'withdrawn') => ({ status, requester: person('Alice Zhang') });
const flow = (...steps: StepDto[]): FlowDto => ({ steps: steps.map((s, position) => ({ ...s, position })) });

describe('flowToTreeModel', () => {
  it('chains start, one node per stage and end, each child pointing at the node before it', () => {
    const nodes = flowToTreeModel(
      ticket('pending'),
      flow(step('manager', 'active', [task(liWei, 'active')]), step('finance', 'waiting', [task(wangFang, 'waiting')])),
    );
    expect(nodes.map((n) => [n.key, n.parent])).toEqual([
      [START_NODE_KEY, undefined],
      ['manager', START_NODE_KEY],
      ['finance', 'manager'],
      [END_NODE_KEY, 'finance'],
    ]);
    expect(nodes[1]).toMatchObject({ text: 'manager\nLi Wei', status: 'active', color: STATUS_COLORS.active.color });
    expect(nodes[1].tasks).toBeUndefined();
  });

  it('labels the link after a decided stage with who decided it and when, or the rejection reason', () => {
    const decidedAt = new Date(2026, 10, 22, 10, 32).toISOString();
    const approved = step('manager', 'approved', [task(liWei, 'approved')], { decidedBy: liWei, decidedAt });
    const rejected = step('finance', 'rejected', [task(wangFang, 'rejected')], { decidedBy: wangFang, decidedAt, comment: 'over budget' });
    const nodes = flowToTreeModel(ticket('rejected'), flow(approved, rejected));
    expect(nodes[2].link_text).toBe('approved by Li Wei 10:32');
    expect(nodes[3]).toMatchObject({ key: END_NODE_KEY, status: 'rejected', link_text: 'rejected: over budget' });
  });

  it('lists each approver of a countersign stage with their own state and a counter', () => {
    const countersign = step('countersign', 'active', [task(liWei, 'approved'), task(wangFang, 'active'), task(chenJing, 'active')], {
      mode: 'all',
      progress: { approved: 1, rejected: 0, required: 3, total: 3 },
    });
    const [, node] = flowToTreeModel(ticket('pending'), flow(countersign));
    expect(node.counter).toBe('1/3 agreed');
    expect(node.tasks?.map((t) => [t.text, t.status, t.color])).toEqual([
      ['Li Wei', 'approved', STATUS_COLORS.approved.color],
      ['Wang Fang', 'active', STATUS_COLORS.active.color],
      ['Chen Jing', 'active', STATUS_COLORS.active.color],
    ]);
  });

  it('names delegated and added signers, and greys a skipped branch', () => {
    const delegated = step('manager', 'active', [
      task(wangFang, 'active', { onBehalfOf: liWei }),
      task(chenJing, 'waiting', { addedBy: wangFang }),
    ]);
    const skipped = step('it-lead', 'skipped', [], { skipReason: 'condition' });
    const nodes = flowToTreeModel(ticket('pending'), flow(delegated, skipped));
    expect(nodes[1].tasks?.map((t) => t.text)).toEqual(['Wang Fang on behalf of Li Wei', 'Chen Jing (added by Wang Fang)']);
    expect(nodes[2]).toMatchObject({ status: 'skipped', color: STATUS_COLORS.skipped.color });
    expect(nodes[3].link_text).toBe('skipped');
  });

  it('says who returned a stage and why, and speaks Chinese when asked', () => {
    const returned = step('manager', 'returned', [task(liWei, 'returned')], {
      decidedBy: liWei,
      decidedAt: new Date().toISOString(),
      comment: 'add receipts',
    });
    expect(flowToTreeModel(ticket('returned'), flow(returned))[2]).toMatchObject({
      status: 'returned',
      link_text: 'returned by Li Wei: add receipts',
    });
    expect(flowToTreeModel(ticket('returned'), flow(returned), 'zh')[2].link_text).toBe('Li Wei 已退回：add receipts');
  });
});
