/**
 * The GoJS side of the approval flow: one read-only Diagram with a TreeModel whose node
 * data comes from `flowToTreeModel` (libs/contracts). Updates change the existing model
 * inside one `model.commit`, so GoJS redraws only what changed.
 */
import * as go from 'gojs';
import type { FlowNodeData } from '@signoff/contracts';
import { getGojsLicenseKey } from '../clientConfig';

declare global {
  interface Window {
    /** Exposed so end-to-end tests can read `go.Diagram.fromDiv(div).model.nodeDataArray`. */
    go: typeof go;
  }
}
window.go = go;

/** The licence key (GET /api/client-config) must be set before a diagram is created. */
function applyLicenseKey() {
  const key = getGojsLicenseKey();
  if (key && go.Diagram.licenseKey !== key) go.Diagram.licenseKey = key;
}

const FONT = '500 13px system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif';
const SMALL_FONT = '12px system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif';
const LINK_FONT = '11px system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif';

export function createFlowDiagram(div: HTMLDivElement, nodes: FlowNodeData[], vertical: boolean): go.Diagram {
  applyLicenseKey();
  const diagram = new go.Diagram(div, {
    isReadOnly: true,
    allowSelect: false,
    allowHorizontalScroll: true,
    allowVerticalScroll: true,
    allowZoom: false,
    hasHorizontalScrollbar: false,
    hasVerticalScrollbar: false,
    padding: 16,
    initialContentAlignment: go.Spot.Center,
    autoScale: go.AutoScale.Uniform,
    maxScale: 1,
    'animationManager.isEnabled': false,
    'toolManager.mouseWheelBehavior': go.WheelMode.None,
    layout: new go.TreeLayout({
      angle: vertical ? 90 : 0,
      layerSpacing: vertical ? 56 : 90,
      nodeSpacing: 24,
    }),
  });

  diagram.nodeTemplate = new go.Node(go.PanelTypes.Auto, { toolTip: null }).add(
    new go.Shape(go.Figures.RoundedRectangle, {
      parameter1: 10,
      stroke: '#94a3b8',
      strokeWidth: 1,
      fill: '#e5e7eb',
    })
      .bind('fill', 'color')
      .bind('stroke', 'status', (status: string) => (status === 'active' ? '#b45309' : '#94a3b8'))
      .bind('strokeWidth', 'status', (status: string) => (status === 'active' ? 2.5 : 1)),
    new go.Panel(go.PanelTypes.Vertical, { margin: new go.Margin(8, 12) }).add(
      new go.TextBlock({
        font: FONT,
        stroke: '#0f172a',
        textAlign: 'center',
        maxSize: new go.Size(180, NaN),
        wrap: go.Wrap.Fit,
      }).bind('text', 'text'),
      // "2/3 agreed" under the stage name (multi-approver stages only).
      new go.TextBlock({ font: SMALL_FONT, stroke: '#334155', margin: new go.Margin(2, 0, 0, 0), visible: false })
        .bind('text', 'counter', (counter: string | undefined) => counter ?? '')
        .bind('visible', 'counter', (counter: string | undefined) => !!counter),
      // One row per approver's task: a dot in the task's colour and the name.
      new go.Panel(go.PanelTypes.Vertical, {
        defaultAlignment: go.Spot.Left,
        margin: new go.Margin(4, 0, 0, 0),
        visible: false,
        itemTemplate: new go.Panel(go.PanelTypes.Horizontal, { margin: new go.Margin(1, 0) }).add(
          new go.Shape(go.Figures.Circle, {
            width: 9,
            height: 9,
            stroke: '#475569',
            strokeWidth: 1,
            margin: new go.Margin(0, 5, 0, 0),
          }).bind('fill', 'color'),
          new go.TextBlock({ font: SMALL_FONT, stroke: '#0f172a', maxSize: new go.Size(170, NaN), wrap: go.Wrap.Fit }).bind('text', 'text'),
        ),
      })
        .bind('itemArray', 'tasks', (tasks: unknown[] | undefined) => tasks ?? [])
        .bind('visible', 'tasks', (tasks: unknown[] | undefined) => (tasks?.length ?? 0) > 0),
    ),
  );

  diagram.linkTemplate = new go.Link({ routing: go.Routing.Orthogonal, corner: 6, selectable: false }).add(
    new go.Shape({ strokeWidth: 2, stroke: '#9ca3af' }).bind('stroke', 'link_color'),
    new go.Shape({ toArrow: go.Arrowheads.Standard, strokeWidth: 0, fill: '#9ca3af' }).bind('fill', 'link_color'),
    new go.Panel(go.PanelTypes.Auto, { segmentIndex: NaN, segmentFraction: 0.5 })
      .bind('visible', 'link_text', (text: string) => text !== '')
      .add(
        new go.Shape(go.Figures.RoundedRectangle, { fill: 'rgba(255,255,255,0.92)', stroke: null }),
        new go.TextBlock({ font: LINK_FONT, stroke: '#334155', margin: 3, maxSize: new go.Size(160, NaN), wrap: go.Wrap.Fit })
          .bind('text', 'link_text')
          .bind('stroke', 'link_color'),
      ),
  );

  diagram.model = new go.TreeModel({ nodeDataArray: nodes.map(copyNode) });
  return diagram;
}

/** GoJS keeps (and mutates) the objects it is given: hand it copies, tasks included. */
const copyNode = (n: FlowNodeData) => ({ ...n, ...(n.tasks ? { tasks: n.tasks.map((t) => ({ ...t })) } : {}) });

/** Brings the diagram's existing model to `nodes` in one transaction; no new model. */
export function updateFlowModel(diagram: go.Diagram, nodes: FlowNodeData[]) {
  const model = diagram.model as go.TreeModel;
  model.commit((m) => {
    const tree = m as go.TreeModel;
    const wanted = new Map(nodes.map((n) => [n.key, n]));
    for (const data of [...tree.nodeDataArray]) {
      if (!wanted.has(String(tree.getKeyForNodeData(data)))) tree.removeNodeData(data);
    }
    for (const next of nodes) {
      const data = tree.findNodeDataForKey(next.key);
      if (!data) {
        tree.addNodeData(copyNode(next));
        continue;
      }
      for (const [prop, value] of Object.entries(next) as Array<[keyof FlowNodeData, unknown]>) {
        if (prop === 'key') continue;
        if (prop === 'parent') {
          if (tree.getParentKeyForNodeData(data) !== value) tree.setParentKeyForNodeData(data, value as go.Key);
        } else if (prop === 'tasks') {
          // A new array (of new objects) so the item panel rebuilds its rows.
          if (JSON.stringify(data.tasks) !== JSON.stringify(value))
            tree.set(
              data,
              'tasks',
              (value as unknown[]).map((t) => ({ ...(t as object) })),
            );
        } else if (data[prop] !== value) {
          tree.set(data, prop, value);
        }
      }
      if (next.parent === undefined && tree.getParentKeyForNodeData(data) !== undefined) tree.setParentKeyForNodeData(data, undefined);
      // A stage that stopped having several approvers drops its rows and counter.
      if (next.tasks === undefined && data.tasks !== undefined) tree.set(data, 'tasks', undefined);
      if (next.counter === undefined && data.counter !== undefined) tree.set(data, 'counter', undefined);
    }
  }, 'update flow');
}
