// Bar and line charts drawn straight to SVG: no browser, no network, no charting runtime, so
// they show in Jupyter, in nbconvert's HTML, on GitHub and in VS Code alike. Deliberately small:
// one x column (categories in row order), one numeric y column. For anything richer, hand
// `result.rows()` to a plotting library.

import { DataType, type Table as ArrowTable } from "apache-arrow";
import { decimalText, formatValue } from "./cell-format.js";
import { escapeHtml, formatCount } from "./html.js";
import { MIME_BUNDLE, type MimeBundle } from "./mime-bundle.js";

/** Options of `barChart` and `lineChart`. */
export interface ChartOptions {
  /** The column whose values label the x axis (categories, in row order). */
  readonly x: string;
  /** The numeric column drawn. */
  readonly y: string;
  readonly title?: string;
  /** Pixels; default 720 × 300. */
  readonly width?: number;
  readonly height?: number;
  /** Fill or stroke colour (default a medium blue). */
  readonly color?: string;
}

/** What a chart can be drawn from: a `QueryResult`, an Arrow table or an array of row objects. */
export type ChartData = { readonly arrow: ArrowTable } | ArrowTable | readonly Record<string, unknown>[];

/** A drawn chart: its SVG text, shown by `display(chart)` as `image/svg+xml`. */
export class Chart {
  constructor(
    /** The chart as a standalone SVG document fragment. */
    readonly svg: string,
    /** A one-line description (the `text/plain` of its MIME bundle). */
    readonly description: string,
  ) {}

  /** The SVG text. */
  toSVG(): string {
    return this.svg;
  }

  /** The chart as HTML (the SVG inline). */
  toHTML(): string {
    return this.svg;
  }

  [MIME_BUNDLE](): MimeBundle {
    return { "image/svg+xml": this.svg, "text/plain": this.description };
  }

  toString(): string {
    return this.description;
  }
}

/**
 * Draws one bar per row: `x` labels the bars, `y` sets their height.
 *
 * ```ts
 * const perDay = await engine.query("select cast(event_ts as date) day, count(*) n from web.events group by 1 order by 1");
 * display(barChart(perDay, { x: "day", y: "n", title: "events per day" }));
 * ```
 */
export function barChart(data: ChartData, options: ChartOptions): Chart {
  return draw("bar", data, options);
}

/** Draws `y` as a line over the rows in order, one point per row, labelled by `x`. */
export function lineChart(data: ChartData, options: ChartOptions): Chart {
  return draw("line", data, options);
}

interface Point {
  readonly label: string;
  readonly value: number | null;
}

function draw(kind: "bar" | "line", data: ChartData, options: ChartOptions): Chart {
  const points = extractPoints(data, options.x, options.y);
  const width = Math.max(200, options.width ?? 720);
  const height = Math.max(120, options.height ?? 300);
  const color = options.color ?? "#4285f4";
  const title = options.title ?? `${options.y} by ${options.x}`;
  const m = { top: 28, right: 16, bottom: 56, left: 64 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const yOf = (v: number) => m.top + plotH - ((v - lo) / (hi - lo || 1)) * plotH;
  const band = plotW / Math.max(1, points.length);
  const xOf = (i: number) => m.left + band * i + band / 2;
  const num = (n: number) => (Math.round(n * 10) / 10).toString();

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" role="img" aria-label="${escapeHtml(title)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${m.left}" y="16" font-size="13" font-weight="bold" fill="#202124">${escapeHtml(title)}</text>`,
  ];
  for (const t of ticks) {
    const y = num(yOf(t));
    out.push(
      `<line x1="${m.left}" x2="${m.left + plotW}" y1="${y}" y2="${y}" stroke="#e8eaed"/>`,
      `<text x="${m.left - 6}" y="${y}" dy="0.32em" text-anchor="end" fill="#5f6368">${escapeHtml(tickLabel(t))}</text>`,
    );
  }
  if (kind === "bar") {
    const barW = Math.max(1, band * 0.8);
    points.forEach((p, i) => {
      if (p.value === null) return;
      const y0 = yOf(0);
      const y1 = yOf(p.value);
      out.push(
        `<rect x="${num(xOf(i) - barW / 2)}" y="${num(Math.min(y0, y1))}" width="${num(barW)}" height="${num(Math.max(0.5, Math.abs(y0 - y1)))}" fill="${escapeHtml(color)}">` +
          `<title>${escapeHtml(`${p.label}: ${formatCount(p.value)}`)}</title></rect>`,
      );
    });
  } else {
    // A null breaks the line, as a missing measurement should.
    let segment: string[] = [];
    const flush = () => {
      if (segment.length > 1) out.push(`<polyline fill="none" stroke="${escapeHtml(color)}" stroke-width="2" points="${segment.join(" ")}"/>`);
      segment = [];
    };
    points.forEach((p, i) => (p.value === null ? flush() : segment.push(`${num(xOf(i))},${num(yOf(p.value))}`)));
    flush();
    points.forEach((p, i) => {
      if (p.value === null) return;
      out.push(`<circle cx="${num(xOf(i))}" cy="${num(yOf(p.value))}" r="2.5" fill="${escapeHtml(color)}"><title>${escapeHtml(`${p.label}: ${formatCount(p.value)}`)}</title></circle>`);
    });
  }
  out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${num(yOf(Math.max(lo, 0)))}" y2="${num(yOf(Math.max(lo, 0)))}" stroke="#9aa0a6"/>`);
  // Label at most ~12 categories so that the labels never overlap.
  const every = Math.max(1, Math.ceil(points.length / 12));
  points.forEach((p, i) => {
    if (i % every !== 0) return;
    const x = num(xOf(i));
    const y = m.top + plotH + 10;
    out.push(`<text x="${x}" y="${y}" transform="rotate(-35 ${x} ${y})" text-anchor="end" fill="#5f6368">${escapeHtml(p.label.length > 16 ? `${p.label.slice(0, 15)}…` : p.label)}</text>`);
  });
  out.push(
    `<text x="${m.left + plotW / 2}" y="${height - 4}" text-anchor="middle" fill="#5f6368">${escapeHtml(options.x)}</text>`,
    `<text transform="rotate(-90)" x="${-(m.top + plotH / 2)}" y="12" text-anchor="middle" fill="#5f6368">${escapeHtml(options.y)}</text>`,
    "</svg>",
  );
  return new Chart(out.join(""), `${kind} chart: ${title} (${points.length} point${points.length === 1 ? "" : "s"})`);
}

function extractPoints(data: ChartData, x: string, y: string): Point[] {
  const table = "arrow" in data ? data.arrow : isArrowTable(data) ? data : undefined;
  if (table) {
    const xi = table.schema.fields.findIndex((f) => f.name === x);
    const yi = table.schema.fields.findIndex((f) => f.name === y);
    const names = table.schema.fields.map((f) => f.name);
    if (xi < 0) throw new TypeError(`chart: x: expected one of the columns ${names.join(", ")}, got "${x}"`);
    if (yi < 0) throw new TypeError(`chart: y: expected one of the columns ${names.join(", ")}, got "${y}"`);
    const xf = table.schema.fields[xi]!;
    const yf = table.schema.fields[yi]!;
    const xv = table.getChildAt(xi)!;
    const yv = table.getChildAt(yi)!;
    const out: Point[] = [];
    for (let r = 0; r < table.numRows; r++) {
      const raw = yv.get(r);
      const value = raw === null || raw === undefined ? null : DataType.isDecimal(yf.type) ? Number(decimalText(raw as Uint32Array, yf.type.scale)) : toNumber(raw, y);
      out.push({ label: formatValue(xf, xv.get(r)) ?? "NULL", value });
    }
    return out;
  }
  return (data as readonly Record<string, unknown>[]).map((row) => {
    const label = row[x];
    const raw = row[y];
    return {
      label: label instanceof Date ? label.toISOString().slice(0, 10) : label === null || label === undefined ? "NULL" : String(label),
      value: raw === null || raw === undefined ? null : toNumber(raw, y),
    };
  });
}

function isArrowTable(data: unknown): data is ArrowTable {
  return data !== null && typeof data === "object" && "schema" in data && "numRows" in data && typeof (data as ArrowTable).getChildAt === "function";
}

function toNumber(v: unknown, column: string): number {
  const n = typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : Number.NaN;
  if (!Number.isFinite(n)) throw new TypeError(`chart: y: expected numbers in column "${column}", got ${typeof v === "string" ? JSON.stringify(v) : String(v)}`);
  return n;
}

/** About five round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number): number[] {
  if (hi === lo) hi = lo + 1;
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((s) => s * mag).find((s) => s >= raw)!;
  const start = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let t = start; t < hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1]! < hi) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

function tickLabel(t: number): string {
  const abs = Math.abs(t);
  if (abs >= 1e9) return `${Number((t / 1e9).toPrecision(3))}G`;
  if (abs >= 1e6) return `${Number((t / 1e6).toPrecision(3))}M`;
  if (abs >= 1e4) return `${Number((t / 1e3).toPrecision(3))}k`;
  return formatCount(Number(t.toPrecision(6)));
}
