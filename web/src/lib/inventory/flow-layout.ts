import dagre from '@dagrejs/dagre';
import type { FlowEdge, FlowGraph, FlowNode } from '$contracts/schemas/flow';

// Lays the materials-flow graph out left to right with dagre: goods come in on the left (Vendors),
// pass through Stock and leave on the right (Customers). Every edge gets a label box in the middle, so
// parallel routes between the same two locations (shipping from stock, make to order) lie apart.

export const NODE_WIDTH = 172;
export const NODE_HEIGHT = 52;
export const LABEL_WIDTH = 164;
export const LABEL_HEIGHT = 44;
const MARGIN = 24;

export type PlacedNode = FlowNode & { x: number; y: number };
export type PlacedEdge = FlowEdge & { path: string; labelX: number; labelY: number };
export type FlowLayout = { width: number; height: number; nodes: PlacedNode[]; edges: PlacedEdge[] };

type Point = { x: number; y: number };

/** A smooth path through dagre's points: straight ends, quadratic curves through the bends. */
function pathThrough(points: Point[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M${first.x.toFixed(1)},${first.y.toFixed(1)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const n = rest[i + 1]!;
    d += ` Q${p.x.toFixed(1)},${p.y.toFixed(1)} ${((p.x + n.x) / 2).toFixed(1)},${((p.y + n.y) / 2).toFixed(1)}`;
  }
  const last = rest[rest.length - 1];
  if (last) d += ` L${last.x.toFixed(1)},${last.y.toFixed(1)}`;
  return d;
}

export function layoutFlow(graph: Pick<FlowGraph, 'nodes' | 'edges'>): FlowLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 36, ranksep: 70, edgesep: 24, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(String(n.id), { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of graph.edges) {
    // Counts and scrap run against the flow: they must not pull Inventory adjustment to the far side.
    const against = e.route === 'adjustment' && e.to !== e.from && graph.nodes.find((n) => n.id === e.to)?.kind === 'adjustment';
    g.setEdge(String(e.from), String(e.to), { width: LABEL_WIDTH, height: LABEL_HEIGHT, labelpos: 'c', weight: against ? 0 : 1 }, e.id);
  }
  dagre.layout(g);
  const nodes = graph.nodes.map((n) => {
    const placed = g.node(String(n.id));
    return { ...n, x: placed.x ?? 0, y: placed.y ?? 0 };
  });
  const edges = graph.edges.map((e) => {
    const placed = g.edge(String(e.from), String(e.to), e.id);
    const points = (placed?.points ?? []) as Point[];
    return { ...e, path: pathThrough(points), labelX: placed?.x ?? 0, labelY: placed?.y ?? 0 };
  });
  const label = g.graph();
  return { width: Math.ceil(label.width ?? 0), height: Math.ceil(label.height ?? 0), nodes, edges };
}
