import { useEffect, useRef } from 'react';
import type * as go from 'gojs';
import type { FlowNodeData } from '@signoff/contracts';
import { createFlowDiagram, updateFlowModel } from './diagram';

/**
 * Hosts the GoJS diagram. The diagram and its model are created once per mount; every
 * later `nodes` value is merged into the existing model (see updateFlowModel).
 */
export function FlowDiagram({ nodes, label, testId = 'approval-flow' }: { nodes: FlowNodeData[]; label: string; testId?: string }) {
  const divRef = useRef<HTMLDivElement>(null);
  const diagramRef = useRef<go.Diagram | null>(null);

  useEffect(() => {
    const div = divRef.current!;
    const diagram = diagramRef.current;
    if (!diagram) {
      diagramRef.current = createFlowDiagram(div, nodes, true);
    } else {
      updateFlowModel(diagram, nodes);
    }
  }, [nodes]);

  useEffect(
    () => () => {
      const diagram = diagramRef.current;
      if (diagram) diagram.div = null;
      diagramRef.current = null;
    },
    [],
  );

  return <div ref={divRef} className="flow__diagram" data-testid={testId} role="img" aria-label={label} />;
}
