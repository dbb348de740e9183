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
    new go.TextBlock({
      margin: new go.Margin(8, 12),
      font: FONT,
      stroke: '#0f172a',
      textAlign: 'center',
      maxSize: new go.Size(180, NaN),
      wrap: go.Wrap.Fit,
    }).bind('text', 'text'),
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

  diagram.model = new go.TreeModel({ nodeDataArray: nodes.map((n) => ({ ...n })) });
  return diagram;
}

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
        tree.addNodeData({ ...next });
        continue;
      }
      for (const [prop, value] of Object.entries(next) as Array<[keyof FlowNodeData, unknown]>) {
        if (prop === 'key') continue;
        if (prop === 'parent') {
          if (tree.getParentKeyForNodeData(data) !== value) tree.setParentKeyForNodeData(data, value as go.Key);
        } else if (data[prop] !== value) {
          tree.set(data, prop, value);
        }
      }
      if (next.parent === undefined && tree.getParentKeyForNodeData(data) !== undefined) tree.setParentKeyForNodeData(data, undefined);
    }
  }, 'update flow');
}
