import { endpointLabel, nodeKey } from './format.js';
import type { Message } from './types.js';

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/**
 * Draws who talked to whom: one node per peer (or address when the peer is unknown), on a circle, and one edge per
 * pair with the number of messages; line width grows with the count. Clicking a node calls onSelect with its label.
 */
export function drawGraph(svg: SVGSVGElement, messages: Message[], onSelect: (peer: string) => void): void {
  svg.replaceChildren();
  const nodes = new Map<string, { label: string; filter: string; count: number }>();
  const edges = new Map<string, { a: string; b: string; count: number }>();
  for (const m of messages) {
    if (m.type === 'undecodable') continue;
    const a = nodeKey(m.src);
    const b = nodeKey(m.dst);
    for (const [key, e] of [[a, m.src], [b, m.dst]] as const) {
      const node = nodes.get(key) ?? { label: endpointLabel(e), filter: e.name || e.peerId || `${e.ip}:${e.port}`, count: 0 };
      node.count++;
      if (e.name) { node.label = endpointLabel(e); node.filter = e.name; }
      nodes.set(key, node);
    }
    const edgeKey = a < b ? `${a}|${b}` : `${b}|${a}`;
    const edge = edges.get(edgeKey) ?? { a, b, count: 0 };
    edge.count++;
    edges.set(edgeKey, edge);
  }
  const keys = [...nodes.keys()];
  const centre = 200;
  const radius = keys.length > 1 ? 140 : 0;
  const position = new Map(keys.map((k, i) => [k, {
    x: centre + radius * Math.cos((2 * Math.PI * i) / keys.length - Math.PI / 2),
    y: centre + radius * Math.sin((2 * Math.PI * i) / keys.length - Math.PI / 2),
  }]));
  const max = Math.max(1, ...[...edges.values()].map((e) => e.count));
  for (const edge of edges.values()) {
    const p = position.get(edge.a)!;
    const q = position.get(edge.b)!;
    const line = el('line', { x1: p.x, y1: p.y, x2: q.x, y2: q.y, class: 'edge', 'stroke-width': 1 + (5 * edge.count) / max, 'data-testid': 'graph-edge' });
    line.appendChild(el('title', {})).textContent = `${edge.count} messages`;
    svg.appendChild(line);
    const label = el('text', { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 - 3, class: 'edge-label', 'text-anchor': 'middle' });
    label.textContent = String(edge.count);
    svg.appendChild(label);
  }
  for (const [key, node] of nodes) {
    const p = position.get(key)!;
    const g = el('g', { class: 'node', 'data-testid': 'graph-node', transform: `translate(${p.x},${p.y})` });
    g.appendChild(el('circle', { r: 8 + Math.min(10, Math.log2(node.count + 1)) }));
    const text = el('text', { y: -16, 'text-anchor': 'middle' });
    text.textContent = node.label;
    g.appendChild(text);
    g.addEventListener('click', () => onSelect(node.filter));
    svg.appendChild(g);
  }
}
