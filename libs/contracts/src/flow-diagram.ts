/**
 * Turns a ticket's flow into the node data of a GoJS TreeModel. Pure, so the web app,
 * the tests and any other renderer draw the same thing from the same snapshot.
 *
 * Shape: a start node (the submission), one node per stage in order, and an end node.
 * Each node's `link_text` labels the link from its parent, i.e. it says how the
 * previous node was left ("approved by Li Wei 10:32", "rejected: over budget").
 */
import type { FlowDto, StepDto, TicketDto } from './dto';
import type { Locale, StepStatus } from './status';

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

export interface FlowNodeData {
  key: string;
  parent?: string;
  text: string;
  status: DiagramStatus;
  color: string;
  link_text: string;
  link_color: string;
}

export interface FlowLabels {
  submitted: string;
  end: string;
  approvedBy: (name: string, time: string) => string;
  rejectedBy: (name: string, time: string) => string;
  rejectedWithComment: (comment: string) => string;
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
    formatTime: hhmm,
  },
  zh: {
    submitted: '提交',
    end: '完成',
    approvedBy: (name, time) => `${name} 已同意 ${time}`,
    rejectedBy: (name, time) => `${name} 已拒绝 ${time}`,
    rejectedWithComment: (comment) => `已拒绝：${comment}`,
    formatTime: hhmm,
  },
};

export const START_NODE_KEY = 'start';
export const END_NODE_KEY = 'end';

function outcomeLabel(step: StepDto, labels: FlowLabels): string {
  if (!step.decidedBy || !step.decidedAt) return '';
  const time = labels.formatTime(step.decidedAt);
  if (step.status === 'approved') return labels.approvedBy(step.decidedBy.name, time);
  if (step.status === 'rejected') {
    return step.comment ? labels.rejectedWithComment(step.comment) : labels.rejectedBy(step.decidedBy.name, time);
  }
  return '';
}

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
    const approvers = step.approvers.map((a) => a.name).join(', ');
    nodes.push(
      node(step.id, parent, approvers ? `${step.name[locale]}\n${approvers}` : step.name[locale], step.status, incoming, incomingStatus),
    );
    parent = step.id;
    incoming = outcomeLabel(step, labels);
    incomingStatus = step.status === 'rejected' || step.status === 'approved' ? step.status : 'waiting';
  }
  const endStatus: DiagramStatus = ticket.status === 'pending' ? 'waiting' : ticket.status;
  nodes.push(node(END_NODE_KEY, parent, labels.end, endStatus, incoming, incomingStatus));
  return nodes;
}
