import { drawGraph } from './graph.js';
import { endpointLabel, hexDump, matches, summary } from './format.js';
import type { Filter, Message, MessageDetail } from './types.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const MAX_ROWS = 5000; // the table shows the first rows matching the filter; filters narrow the rest

let all: Message[] = [];
let selected: number | undefined;

function currentFilter(): Filter {
  return {
    type: $<HTMLSelectElement>('filter-type').value,
    peer: $<HTMLInputElement>('filter-peer').value,
    stream: $<HTMLInputElement>('filter-stream').value,
    text: $<HTMLInputElement>('filter-text').value,
  };
}

function cell(row: HTMLTableRowElement, text: string, className?: string): void {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
}

function render(): void {
  const filter = currentFilter();
  const shown = all.filter((m) => matches(m, filter));
  const body = $<HTMLTableElement>('packets').tBodies[0]!;
  const rows = document.createDocumentFragment();
  for (const m of shown.slice(0, MAX_ROWS)) {
    const row = document.createElement('tr');
    row.dataset.index = String(m.index);
    row.dataset.testid = 'packet-row';
    row.setAttribute('data-testid', 'packet-row');
    row.className = [m.type === 'undecodable' ? 'undecodable' : '', m.type.startsWith('tls') ? 'tls' : '', m.index === selected ? 'selected' : ''].join(' ').trim();
    cell(row, String(m.index));
    cell(row, m.time.slice(11, 26));
    cell(row, String(m.stream));
    cell(row, m.transport);
    cell(row, endpointLabel(m.src));
    cell(row, endpointLabel(m.dst));
    cell(row, m.type);
    cell(row, String(m.size));
    cell(row, summary(m.fields), 'summary');
    row.addEventListener('click', () => void select(m.index));
    rows.appendChild(row);
  }
  body.replaceChildren(rows);
  $('counts').textContent = `${shown.length} of ${all.length} messages${shown.length > MAX_ROWS ? ` (first ${MAX_ROWS} listed)` : ''}`;
  drawGraph($<SVGSVGElement & HTMLElement>('graph'), shown, (peer) => {
    $<HTMLInputElement>('filter-peer').value = peer;
    render();
  });
}

async function select(index: number): Promise<void> {
  selected = index;
  for (const row of document.querySelectorAll<HTMLTableRowElement>('#packets tbody tr')) row.classList.toggle('selected', row.dataset.index === String(index));
  const response = await fetch(`api/messages/${index}`);
  const m = (await response.json()) as MessageDetail;
  const detail = $('detail');
  detail.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = `#${m.index} ${m.type}`;
  h.dataset.testid = 'detail-title';
  h.setAttribute('data-testid', 'detail-title');
  const meta = document.createElement('p');
  meta.textContent = `${m.time} · stream ${m.stream} (${m.direction}) · ${m.transport} · packet ${m.packet} · ${m.size} bytes · ${endpointLabel(m.src)} → ${endpointLabel(m.dst)}`;
  const fields = document.createElement('pre');
  fields.setAttribute('data-testid', 'detail-fields');
  fields.textContent = JSON.stringify(m.fields, null, 2);
  const rawTitle = document.createElement('h3');
  rawTitle.textContent = `Raw bytes${m.rawTruncated ? ' (first part)' : ''}`;
  const raw = document.createElement('pre');
  raw.setAttribute('data-testid', 'hexdump');
  raw.textContent = m.raw ? hexDump(m.raw) : '(none kept)';
  detail.append(h, meta, fields, rawTitle, raw);
}

async function main(): Promise<void> {
  const [summaryResponse, messagesResponse] = await Promise.all([fetch('api/summary'), fetch('api/messages')]);
  const info = (await summaryResponse.json()) as { capture: string; truncated: string | null; keylog: boolean };
  all = (await messagesResponse.json()) as Message[];
  $('capture').textContent = `${info.capture}${info.keylog ? ' (decrypted with key log)' : ''}${info.truncated ? ` — ${info.truncated}` : ''}`;
  const types = [...new Set(all.map((m) => m.type))].sort();
  const select = $<HTMLSelectElement>('filter-type');
  for (const t of types) select.add(new Option(t, t));
  const form = $<HTMLFormElement>('filters');
  form.addEventListener('input', render);
  form.addEventListener('change', render);
  form.addEventListener('reset', () => setTimeout(render));
  form.addEventListener('submit', (e) => e.preventDefault());
  render();
  document.body.dataset.ready = 'true';
}

void main();
