/**
 * The soak's curves as one picture: resident memory and V8 heap, event-loop delay (p50, p99), and
 * what the clients saw (answers and failures per second, p50 and p99 latency), against minutes into the run. Drawn as
 * SVG by hand (three line charts need no library) and turned into PNG by the Debian Chromium the
 * browser tests already use.
 */
import { chromium } from 'playwright-core';
import type { ClientWindow } from './paced-load.ts';
import type { Figures, ServerSample } from './figures.ts';

const WIDTH = 1200;
const PANEL_HEIGHT = 170;
const PANELS = 4;
const TOP = 100;
const LEFT = 80;
const RIGHT = 230;
const GAP = 50;
const HEIGHT = TOP + PANELS * PANEL_HEIGHT + (PANELS - 1) * GAP + 50;

interface Series {
  label: string;
  colour: string;
  points: { minute: number; value: number }[];
  dashed?: boolean;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= value)!;
}

function panel(index: number, title: string, unit: string, series: Series[], minutes: number): string {
  const top = TOP + index * (PANEL_HEIGHT + GAP);
  const width = WIDTH - LEFT - RIGHT;
  const max = niceMax(Math.max(...series.flatMap((s) => s.points.map((p) => p.value)), 0) * 1.1);
  const x = (minute: number) => LEFT + (minute / minutes) * width;
  const y = (value: number) => top + PANEL_HEIGHT - (value / max) * PANEL_HEIGHT;
  const parts: string[] = [`<text x="${LEFT}" y="${top - 10}" font-size="16" font-weight="bold">${escape(title)}</text>`];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (max * tick) / 4;
    parts.push(`<line x1="${LEFT}" x2="${LEFT + width}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`);
    parts.push(`<text x="${LEFT - 8}" y="${y(value) + 4}" font-size="12" text-anchor="end">${Number(value.toPrecision(3))}</text>`);
  }
  const step = minutes > 20 ? 5 : minutes > 5 ? 1 : 0.5;
  for (let minute = 0; minute <= minutes + 1e-9; minute += step) {
    parts.push(`<line x1="${x(minute)}" x2="${x(minute)}" y1="${top}" y2="${top + PANEL_HEIGHT}" stroke="#eee"/>`);
    parts.push(`<text x="${x(minute)}" y="${top + PANEL_HEIGHT + 16}" font-size="12" text-anchor="middle">${Number(minute.toFixed(1))}</text>`);
  }
  parts.push(`<text x="${LEFT - 60}" y="${top + PANEL_HEIGHT / 2}" font-size="12" transform="rotate(-90 ${LEFT - 60} ${top + PANEL_HEIGHT / 2})" text-anchor="middle">${escape(unit)}</text>`);
  parts.push(`<rect x="${LEFT}" y="${top}" width="${width}" height="${PANEL_HEIGHT}" fill="none" stroke="#888"/>`);
  series.forEach((s, i) => {
    const path = s.points.map((p) => `${x(p.minute).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    const legendY = top + 20 + i * 22;
    parts.push(`<line x1="${LEFT + width + 15}" x2="${LEFT + width + 40}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${s.colour}" stroke-width="3"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(`<text x="${LEFT + width + 46}" y="${legendY}" font-size="12">${escape(s.label)}</text>`);
  });
  return parts.join('\n');
}

export function drawSvg(samples: ServerSample[], windows: ClientWindow[], figures: Figures, startedAt: number, title: string, verdict: string): string {
  const minute = (at: number) => (at - startedAt) / 60_000;
  const minutes = Math.max(figures.minutes, 0.5);
  const slopeFrom = minutes - figures.rss.slopeWindowMin;
  const meanRss = samples.filter((s) => minute(s.at) >= slopeFrom).reduce((sum, s, _, list) => sum + s.rssMb / list.length, 0);
  const trendAt = (m: number) => meanRss + figures.rss.slopeMbPerMin * (m - (slopeFrom + minutes) / 2);
  const windowSeconds = windows.length > 1 ? (windows[1]!.at - windows[0]!.at) / 1000 : 5;
  const body = [
    panel(0, 'Server memory', 'MB', [
      { label: 'RSS', colour: '#1f77b4', points: samples.map((s) => ({ minute: minute(s.at), value: s.rssMb })) },
      { label: 'V8 heap used', colour: '#2ca02c', points: samples.map((s) => ({ minute: minute(s.at), value: s.heapUsedMb })) },
      { label: `trend ${figures.rss.slopeMbPerMin} MB/min`, colour: '#d62728', dashed: true, points: [slopeFrom, minutes].map((m) => ({ minute: m, value: trendAt(m) })) },
    ], minutes),
    panel(1, 'Event-loop delay (5 s windows)', 'ms', [
      { label: 'p50', colour: '#2ca02c', points: samples.map((s) => ({ minute: minute(s.at), value: s.loopP50Ms })) },
      { label: 'p99', colour: '#ff7f0e', points: samples.map((s) => ({ minute: minute(s.at), value: s.loopP99Ms })) },
    ], minutes),
    panel(2, 'Clients: answers per second (5 s windows)', 'req/s', [
      { label: 'answers/s', colour: '#1f77b4', points: windows.map((w) => ({ minute: minute(w.at), value: w.requests / windowSeconds })) },
      { label: '5xx or no answer /s', colour: '#d62728', points: windows.map((w) => ({ minute: minute(w.at), value: (w.serverErrors + w.noAnswer) / windowSeconds })) },
    ], minutes),
    panel(3, 'Clients: latency (5 s windows)', 'ms', [
      { label: 'p50', colour: '#2ca02c', points: windows.map((w) => ({ minute: minute(w.at), value: w.p50Ms })) },
      { label: 'p99', colour: '#9467bd', points: windows.map((w) => ({ minute: minute(w.at), value: w.p99Ms })) },
    ], minutes),
  ].join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${LEFT}" y="30" font-size="20" font-weight="bold">${escape(title)}</text>
<text x="${LEFT}" y="56" font-size="14">${escape(verdict)}</text>
${body}
<text x="${WIDTH / 2}" y="${HEIGHT - 12}" font-size="13" text-anchor="middle">minutes into the run</text>
</svg>`;
}

/** Renders the SVG in Chromium at its own size and writes a PNG. */
export async function svgToPng(svg: string, file: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    await page.screenshot({ path: file, clip: { x: 0, y: 0, width: WIDTH, height: HEIGHT } });
  } finally {
    await browser.close();
  }
}
