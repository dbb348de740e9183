/**
 * Turns a ticket's flow into the node data of a GoJS TreeModel. Pure, so the web app,
 * the tests and any other renderer draw the same thing from the same snapshot.
 *
 * Shape: a start node (the submission), one node per stage in order, and an end node.
 * Each node's `link_text` labels the link from its parent, i.e. it says how the
 * previous node was left ("approved by Li Wei 10:32", "rejected: over budget").
 * A stage with several approvers lists them in `tasks` (each with its own state) and
 * shows a counter ("2/3 agreed"); transfers, added signers and delegations are named
 * in the task's text.
 */
import type { FlowDto, StepDto, TaskDto, TicketDto } from './dto';
import type { Locale, StepStatus, TaskStatus, TicketStatus } from './status';

export type DiagramStatus = StepStatus;

/** The one table that maps a status to its colour (fill) and its link colour. */
export const STATUS_COLORS: Record<DiagramStatus, { color: string; link: string }> = {
  waiting: { color: '#e5e7eb', link: '#9ca3af' },
  active: { color: '#fde68a', link: '#d97706' },
  approved: { color: '#86efac', link: '#16a34a' },
  rejected: { color: '#fca5a5', link: '#dc2626' },
  skipped: { color: '#f3f4f6', link: '#d1d5db' },
  returned: { color: '#c4b5fd', link: '#7c3aed' },
};

/** Task states drawn with the step colours they resemble. */
const TASK_AS_STEP: Record<TaskStatus, DiagramStatus> = {
  waiting: 'waiting',
  active: 'active',
  approved: 'approved',
  rejected: 'rejected',
  returned: 'returned',
  closed: 'skipped',
  transferred: 'skipped',
};

const TICKET_AS_STEP: Record<TicketStatus, DiagramStatus> = {
  pending: 'waiting',
  approved: 'approved',
  rejected: 'rejected',
  returned: 'returned',
  withdrawn: 'skipped',
};

export interface FlowTaskData {
  key: string;
  text: string;
  status: TaskStatus;
  color: string;
}

export interface FlowNodeData {
  key: string;
  parent?: string;
  text: string;
  status: DiagramStatus;
  color: string;
  link_text: string;
  link_color: string;
  /** Stages with more than one approver: each approver's task, in order. */
  tasks?: FlowTaskData[];
  /** "2/3 agreed" on all / any / quorum / sequential stages. */
  counter?: string;
}

export interface FlowLabels {
  submitted: string;
  end: string;
  approvedBy: (name: string, time: string) => string;
  rejectedBy: (name: string, time: string) => string;
  rejectedWithComment: (comment: string) => string;
  returnedBy: (name: string, comment: string | null) => string;
  skipped: string;
  agreed: (approved: number, required: number) => string;
  onBehalfOf: (name: string, of: string) => string;
  addedBy: (name: string, by: string) => string;
  formatTime: (iso: string) => string;
}

const hhmm = (iso: string) => {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

export const FLOW_LABELS: Record<Locale, FlowLabels> = {
  en: {
    submitted: 'Submitted',
    end: 'Done',
    approvedBy: (name, time) => `approved by ${name} ${time}`,
    rejectedBy: (name, time) => `rejected by ${name} ${time}`,
    rejectedWithComment: (comment) => `rejected: ${comment}`,
    returnedBy: (name, comment) => (comment ? `returned by ${name}: ${comment}` : `returned by ${name}`),
    skipped: 'skipped',
    agreed: (approved, required) => `${approved}/${required} agreed`,
    onBehalfOf: (name, of) => `${name} on behalf of ${of}`,
    addedBy: (name, by) => `${name} (added by ${by})`,
    formatTime: hhmm,
  },
  zh: {
    submitted: '提交',
    end: '完成',
    approvedBy: (name, time) => `${name} 已同意 ${time}`,
    rejectedBy: (name, time) => `${name} 已拒绝 ${time}`,
    rejectedWithComment: (comment) => `已拒绝：${comment}`,
    returnedBy: (name, comment) => (comment ? `${name} 已退回：${comment}` : `${name} 已退回`),
    skipped: '已跳过',
    agreed: (approved, required) => `${approved}/${required} 已同意`,
    onBehalfOf: (name, of) => `${name} 代 ${of}`,
    addedBy: (name, by) => `${name}（${by} 加签）`,
    formatTime: hhmm,
  },
};

export const START_NODE_KEY = 'start';
export const END_NODE_KEY = 'end';

function outcomeLabel(step: StepDto, labels: FlowLabels): string {
  if (step.status === 'skipped') return labels.skipped;
  if (!step.decidedBy || !step.decidedAt) return '';
  const time = labels.formatTime(step.decidedAt);
  if (step.status === 'approved') return labels.approvedBy(step.decidedBy.name, time);
  if (step.status === 'rejected') {
    return step.comment ? labels.rejectedWithComment(step.comment) : labels.rejectedBy(step.decidedBy.name, time);
  }
  if (step.status === 'returned') return labels.returnedBy(step.decidedBy.name, step.comment);
  return '';
}

function taskText(task: TaskDto, labels: FlowLabels): string {
  if (task.onBehalfOf) return labels.onBehalfOf(task.assignee.name, task.onBehalfOf.name);
  if (task.addedBy) return labels.addedBy(task.assignee.name, task.addedBy.name);
  return task.assignee.name;
}

/** Several approvers, or a mode where each counts: draw each task. */
const showsTasks = (step: StepDto) => step.mode !== 'single' || step.tasks.length > 1;

function node(
  key: string,
  parent: string | undefined,
  text: string,
  status: DiagramStatus,
  linkText: string,
  linkStatus: DiagramStatus,
): FlowNodeData {
  return {
    key,
    ...(parent === undefined ? {} : { parent }),
    text,
    status,
    color: STATUS_COLORS[status].color,
    link_text: linkText,
    link_color: STATUS_COLORS[linkStatus].link,
  };
}

function stageNode(step: StepDto, parent: string, incoming: string, incomingStatus: DiagramStatus, locale: Locale, labels: FlowLabels) {
  const name = step.name[locale];
  if (!showsTasks(step)) {
    const who = step.tasks.map((t) => taskText(t, labels)).join(', ') || step.approvers.map((a) => a.name).join(', ');
    return node(step.id, parent, who ? `${name}\n${who}` : name, step.status, incoming, incomingStatus);
  }
  return {
    ...node(step.id, parent, name, step.status, incoming, incomingStatus),
    counter: labels.agreed(step.progress.approved, step.progress.required),
    tasks: step.tasks.map((t) => ({
      key: t.id,
      text: taskText(t, labels),
      status: t.status,
      color: STATUS_COLORS[TASK_AS_STEP[t.status]].color,
    })),
  };
}

export function flowToTreeModel(
  ticket: Pick<TicketDto, 'status' | 'requester'>,
  flow: FlowDto,
  locale: Locale = 'en',
  labels: FlowLabels = FLOW_LABELS[locale],
): FlowNodeData[] {
  const steps = [...flow.steps].sort((a, b) => a.position - b.position);
  const nodes: FlowNodeData[] = [
    node(START_NODE_KEY, undefined, `${labels.submitted}\n${ticket.requester.name}`, 'approved', '', 'approved'),
  ];
  let parent = START_NODE_KEY;
  let incoming = '';
  let incomingStatus: DiagramStatus = 'approved';
  for (const step of steps) {
    nodes.push(stageNode(step, parent, incoming, incomingStatus, locale, labels));
    parent = step.id;
    incoming = outcomeLabel(step, labels);
    incomingStatus = step.status === 'active' ? 'waiting' : step.status;
  }
  nodes.push(node(END_NODE_KEY, parent, labels.end, TICKET_AS_STEP[ticket.status], incoming, incomingStatus));
  return nodes;
}
