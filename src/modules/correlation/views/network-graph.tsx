/**
 * A network drawn as server-rendered SVG: reports on an outer ring, the identifiers that join them
 * inside, their areas on a ring beyond. No script, no layout library; the table beside it says the
 * same in words for screen readers and small screens.
 */
import type { ViewContext } from '../../../core/views/view-context.ts';
import type { GraphEdge, GraphNode } from '../networks.ts';

const SIZE = 560;
const CENTRE = SIZE / 2;

function ring(nodes: readonly GraphNode[], radius: number, offset = 0): Map<string, { x: number; y: number }> {
  const at = new Map<string, { x: number; y: number }>();
  nodes.forEach((node, i) => {
    const angle = (2 * Math.PI * i) / Math.max(nodes.length, 1) + offset - Math.PI / 2;
    at.set(node.id, { x: Math.round(CENTRE + radius * Math.cos(angle)), y: Math.round(CENTRE + radius * Math.sin(angle)) });
  });
  return at;
}

export function label(view: ViewContext, node: GraphNode): string {
  switch (node.type) {
    case 'report':
      return node.report.reference;
    case 'hidden-report':
      return view.t('correlation.networks.hiddenReport');
    case 'identifier':
      return view.t('correlation.networks.identifierNode', { kind: view.t(`correlation.kinds.${node.kind}`), tag: node.tag });
    case 'place':
      return view.t('correlation.networks.placeNode', { cell: node.cell });
  }
}

export function NetworkGraph({ view, nodes, edges }: { view: ViewContext; nodes: readonly GraphNode[]; edges: readonly GraphEdge[] }) {
  const reports = nodes.filter((n) => n.type === 'report' || n.type === 'hidden-report');
  const identifiers = nodes.filter((n) => n.type === 'identifier');
  const places = nodes.filter((n) => n.type === 'place');
  const at = new Map([...ring(identifiers, 90), ...ring(reports, 180), ...ring(places, 250, Math.PI / Math.max(places.length, 1))]);
  return (
    <svg viewBox={`0 0 ${SIZE} ${SIZE}`} width="100%" height={SIZE} role="img" aria-labelledby="graph-title graph-desc" class="network-graph">
      <title id="graph-title">{view.t('correlation.networks.graphTitle')}</title>
      <desc id="graph-desc">{view.t('correlation.networks.graphDesc', { reports: reports.length, identifiers: identifiers.length, places: places.length })}</desc>
      {edges.map((edge, i) => {
        const from = at.get(edge.from);
        const to = at.get(edge.to);
        if (!from || !to) return null;
        return <line key={i} x1={from.x} y1={from.y} x2={to.x} y2={to.y} stroke={edge.type === 'link' ? '#1d4ed8' : '#6b7280'} stroke-width={edge.type === 'link' ? 2.5 : 1} stroke-dasharray={edge.type === 'in-area' ? '4 3' : undefined} />;
      })}
      {nodes.map((node) => {
        const p = at.get(node.id)!;
        const text = label(view, node);
        const shape =
          node.type === 'identifier' ? (
            <rect x={p.x - 9} y={p.y - 9} width={18} height={18} fill="#f59e0b" stroke="#111827" />
          ) : node.type === 'place' ? (
            <polygon points={`${p.x},${p.y - 10} ${p.x + 10},${p.y + 8} ${p.x - 10},${p.y + 8}`} fill="#10b981" stroke="#111827" />
          ) : (
            <circle cx={p.x} cy={p.y} r={12} fill={node.type === 'report' ? '#2563eb' : '#9ca3af'} stroke="#111827" />
          );
        return (
          <g key={node.id}>
            <title>{text}</title>
            {shape}
            {node.type === 'report' && (
              <text x={p.x} y={p.y + 26} text-anchor="middle" font-size="11" fill="#111827">
                {text}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
