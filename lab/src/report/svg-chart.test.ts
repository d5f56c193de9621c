import { describe, expect, it } from 'vitest';
import { lineChart } from './svg-chart.js';

describe('lineChart', () => {
  it('draws one polyline per series with a legend, on log axes too', () => {
    const svg = lineChart({
      title: 'time vs N', xLabel: 'nodes', yLabel: 'ms', logX: true,
      series: [{ name: 'plumtree', points: [[100, 20], [1000, 35], [10000, 48]] }, { name: 'serf <model>', points: [[100, 2000], [10000, 2600]], dashed: true }],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('serf &lt;model&gt;');
    expect(svg).toContain('10,000');
  });

  it('says so when there is nothing to draw', () => {
    expect(lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [[1, NaN]] }] })).toContain('no data');
  });
});
