import { describe, expect, it } from 'vitest';
import { chartSteps, usageChart } from '../../src/rightsize/chart.js';
import { cpuText, durationText, memoryText } from '../../src/rightsize/format.js';

const samples = (values: number[], start = 0, step = 60) =>
  values.map((value, i) => ({ time: start + i * step, value }));

describe('chartSteps', () => {
  it('takes the highest and the average pod at each time', () => {
    expect(chartSteps([samples([1, 4]), samples([3, 2])])).toEqual([
      { time: 0, max: 3, mean: 2 },
      { time: 60, max: 4, mean: 3 },
    ]);
  });

  it('cuts a long history into buckets that keep their highest and their average', () => {
    const long = samples(Array.from({ length: 1000 }, (_, i) => (i === 777 ? 50 : 1)));
    const steps = chartSteps([long], 100);
    expect(steps).toHaveLength(100);
    expect(Math.max(...steps.map((s) => s.max))).toBe(50);
    expect(steps.filter((s) => s.max === 50)).toHaveLength(1);
    expect(steps.find((s) => s.max === 50)!.mean).toBeCloseTo((9 + 50) / 10, 9);
    expect(steps[0]!.time).toBe(0);
  });
});

describe('usageChart', () => {
  it('draws both series and one line per request, labelled in words', () => {
    const svg = usageChart({
      title: 'app cpu',
      series: [samples([0.1, 0.2, 0.3], 0, 3600)],
      lines: [
        { name: 'today', value: 0.5 },
        { name: 'recommended', value: 0.35 },
      ],
      format: cpuText,
    });
    expect(svg.match(/<path data-series="(max|mean)"/g)).toHaveLength(2);
    expect(svg).toContain('data-line="today" data-value="0.5"');
    expect(svg).toContain('data-line="recommended" data-value="0.35"');
    expect(svg).toContain(
      'aria-label="app cpu: 3 steps over 2 hours; highest pod peak 300m; today request 500m, recommended request 350m"',
    );
    // The highest value on the axis is 10% above the largest of the series and the lines.
    expect(svg).toContain('>550m</text>');
  });

  it('escapes what it writes', () => {
    const svg = usageChart({ title: '<b>"x"</b>', series: [], lines: [], format: String });
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&quot;x&quot;&lt;/b&gt;');
  });
});

describe('format', () => {
  it('writes amounts as people read them', () => {
    expect(cpuText(0.2501)).toBe('251m');
    expect(cpuText(2)).toBe('2');
    expect(cpuText(null)).toBe('—');
    expect(memoryText(512 * 2 ** 20)).toBe('512Mi');
    expect(memoryText(1.5 * 2 ** 30)).toBe('1.5Gi');
    expect(memoryText(300.25 * 2 ** 20)).toBe('300.3Mi');
    expect(durationText(8 * 86_400)).toBe('8d');
    expect(durationText(90)).toBe('90s');
  });
});
