// Draws a summary chart as SVG: a table of small bar charts, one row per unit (its name, its reporting state
// and a bar for each main figure), the whole unit's figures first, the previous period as a thin outlined bar
// under the current one. Every label is measured with the real font and wrapped or shortened to its column, so
// nothing overlaps at 1 or at 30 rows. Colours differ in lightness and the second series is hatched, so the
// chart survives greyscale printing.
import { fill } from "../messages.js";
import { formatDecimal, formatInt } from "../numbers/format.js";
import { formatChatDate, localDate, formatClock } from "../local-time.js";
import { inSentence } from "../report/unit-names.js";
import type { ChartBar, ChartInput, ChartPanelInput, ChartRow, FigureKind, RowStatus } from "./input.js";
import type { ChartTexts } from "./texts.js";

/** Text widths in the font the chart is rendered with. */
export interface TextMeasure {
  /** Advance width in px of `text` set at `size` px. */
  width(text: string, size: number, bold?: boolean): number;
}

/** Draws texts as outlines (glyph shapes) rather than text, so a renderer needs no fonts. */
export interface TextOutliner {
  /** The text set at `size` px with its anchor at (x, baseline), as SVG elements ("" when nothing shows). */
  outline(text: string, x: number, baseline: number, o: { size: number; bold: boolean; anchor: "start" | "end" | "middle"; fill: string }): string;
}

export interface ChartSvg {
  svg: string;
  width: number;
  height: number;
}

/** Width of every chart: sharp on a phone held upright, and on an A4 page. */
export const CHART_WIDTH = 1200;
export const CHART_FONT_FAMILY = "Noto Sans";

const M = 32;
const SIZE = { title: 32, subtitle: 21, header: 18, name: 19, value: 17, small: 16 } as const;
const lineOf = (size: number): number => Math.round(size * 1.32);
const NAME_COLUMN = 300;
const PANEL_GAP = 20;
const MIN_PANEL = 190;
const BAR = 15;
const PREV_BAR = 6;
const PREV_GAP = 3;
const BAR_GAP = 6;
const ROW_PAD = 12;

const INK = "#1a1a1a";
const MUTED = "#545454";
const RULE = "#9a9a9a";
const STRIPE = "#f1f1f1";
/** Series colours far apart in lightness (dark blue ≈ 30 %, orange ≈ 65 %); the second is also hatched. */
const SERIES = [
  { fill: "#1f4e8c", light: "#dce5f1", edge: "#1f4e8c", pattern: undefined },
  { fill: "#e39b45", light: "#fbe8d2", edge: "#8a5212", pattern: "hatch" },
] as const;
const STATE_COLOUR = { done: "#1e6b3a", partial: "#8a5a00", returned: "#b42318", none: "#6b6b6b" } as const;

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const round = (n: number): number => Math.round(n * 10) / 10;

interface TextOpts {
  size: number;
  bold?: boolean;
  colour?: string;
  anchor?: "start" | "end" | "middle";
}

function textEl(x: number, baseline: number, content: string, o: TextOpts): string {
  const weight = o.bold ? ' font-weight="700"' : "";
  const anchor = o.anchor && o.anchor !== "start" ? ` text-anchor="${o.anchor}"` : "";
  return `<text x="${round(x)}" y="${round(baseline)}" font-size="${o.size}"${weight}${anchor} fill="${o.colour ?? INK}">${esc(content)}</text>`;
}

const TEXT_EL = /<text x="(-?[\d.]+)" y="(-?[\d.]+)" font-size="(\d+)"( font-weight="700")?(?: text-anchor="(end|middle)")? fill="(#[0-9a-f]{6})">([^<]*)<\/text>/g;
const unescape = (text: string): string => text.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));

/**
 * The chart's SVG with every text (as textEl writes it) drawn as outlines by `outliner`: the picture a renderer
 * without fonts draws the same as the text would be.
 */
export function outlineTexts(svg: string, outliner: TextOutliner): string {
  const out = svg.replace(TEXT_EL, (_, x: string, y: string, size: string, bold: string | undefined, anchor: "end" | "middle" | undefined, colour: string, content: string) =>
    outliner.outline(unescape(content), Number(x), Number(y), { size: Number(size), bold: !!bold, anchor: anchor ?? "start", fill: colour }),
  );
  if (out.includes("<text")) throw new Error("outlineTexts: a text the chart does not write");
  return out;
}

/** Baseline that centres a line of text of `size` px on `cy`. */
const centreBaseline = (cy: number, size: number): number => cy + size * 0.36;

/** Lines of at most `width` px, broken between words (inside a word only when it alone is too wide), and at
 * most `maxLines` of them; the last one ends in "…" when something had to be left out. */
export function wrapText(measure: TextMeasure, text: string, width: number, size: number, bold = false, maxLines = 2): string[] {
  const fits = (s: string) => measure.width(s, size, bold) <= width;
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    // A single word wider than the column is cut between characters.
    while (!fits(line) && [...line].length > 1) {
      const chars = [...line];
      let cut = chars.length - 1;
      while (cut > 1 && !fits(chars.slice(0, cut).join(""))) cut--;
      lines.push(chars.slice(0, cut).join(""));
      line = chars.slice(cut).join("");
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = ellipsize(measure, `${kept[maxLines - 1]} ${lines[maxLines]}`, width, size, bold);
  return kept;
}

/** The text as it is when it fits, else shortened with "…". */
function fitLine(measure: TextMeasure, text: string, width: number, size: number, bold = false): string {
  return measure.width(text, size, bold) <= width ? text : ellipsize(measure, text, width, size, bold);
}

function ellipsize(measure: TextMeasure, text: string, width: number, size: number, bold: boolean): string {
  const chars = [...text];
  while (chars.length > 1 && measure.width(`${chars.join("").trimEnd()}…`, size, bold) > width) chars.pop();
  return `${chars.join("").trimEnd()}…`;
}

/** How a figure reads in the chart: 3.850 · 66,7% · 15,5 triệu. */
export function formatFigure(kind: FigureKind, value: number, texts: ChartTexts): string {
  if (kind === "percentage") return `${formatDecimal(value, 1)}%`;
  if (kind === "count") return formatInt(value);
  const abs = Math.abs(value);
  const short = (div: number, template: string) => {
    const n = value / div;
    return fill(template, { n: formatDecimal(n, Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2) });
  };
  if (abs >= 1e9) return short(1e9, texts.money.billion);
  if (abs >= 1e6) return short(1e6, texts.money.million);
  if (abs >= 1e3) return short(1e3, texts.money.thousand);
  return formatInt(value);
}

/** "{tt_so_buoi} buổi" with the row's figures, or nothing when one of them is missing. */
function noteOf(panel: ChartPanelInput, values: Record<string, number> | undefined, input: ChartInput, texts: ChartTexts): string | undefined {
  if (!panel.note || !values) return undefined;
  let missing = false;
  const text = panel.note.replace(/\{([a-z_][a-z0-9_]*)\}/g, (_, id: string) => {
    const v = values[id];
    const kind = input.kinds[id];
    if (v === undefined || !kind) {
      missing = true;
      return "";
    }
    return formatFigure(kind, v, texts);
  });
  return missing ? undefined : text;
}

function statusText(status: RowStatus, texts: ChartTexts): string {
  if (status.kind === "group") return fill(texts.group_status, { submitted: status.submitted, total: status.total });
  if (status.state === "in_progress") return fill(texts.states.in_progress, { done: status.sectionsDone, total: status.sectionsTotal });
  return texts.states[status.state];
}

const ICON = 20;

/** A state drawn as a shape as well as a colour: full with a tick, full twice (accepted), half, "!", empty. */
function statusIcon(status: Extract<RowStatus, { kind: "area" }>, cx: number, cy: number): string {
  const r = 9;
  const tick = `<path d="M${round(cx - 4.5)} ${round(cy + 0.5)} l3 3.2 l6 -7" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/>`;
  switch (status.state) {
    case "accepted":
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${STATE_COLOUR.done}"/><circle cx="${cx}" cy="${cy}" r="${r + 3}" fill="none" stroke="${STATE_COLOUR.done}" stroke-width="1.5"/>${tick}`;
    case "submitted":
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${STATE_COLOUR.done}"/>${tick}`;
    case "in_progress":
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#fff" stroke="${STATE_COLOUR.partial}" stroke-width="2"/><path d="M${cx} ${cy - r} A${r} ${r} 0 0 1 ${cx} ${cy + r} Z" fill="${STATE_COLOUR.partial}"/>`;
    case "returned":
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${STATE_COLOUR.returned}"/><rect x="${cx - 1.3}" y="${cy - 5.5}" width="2.6" height="7" fill="#fff"/><rect x="${cx - 1.3}" y="${cy + 3}" width="2.6" height="2.6" fill="#fff"/>`;
    case "not_started":
      return `<circle cx="${cx}" cy="${cy}" r="${r - 1}" fill="#fff" stroke="${STATE_COLOUR.none}" stroke-width="2"/>`;
    case "exempt":
      // A dashed ring with a bar: not expected, so neither done nor missing.
      return `<circle cx="${cx}" cy="${cy}" r="${r - 1}" fill="#fff" stroke="${STATE_COLOUR.none}" stroke-width="1.6" stroke-dasharray="3 2"/><rect x="${cx - 4.5}" y="${cy - 1.2}" width="9" height="2.4" fill="${STATE_COLOUR.none}"/>`;
  }
}

/** A commune's completeness as a small filled bar. */
function completenessBar(x: number, y: number, width: number, submitted: number, total: number): string {
  const share = total > 0 ? Math.min(1, submitted / total) : 0;
  const colour = share >= 1 ? STATE_COLOUR.done : share > 0 ? STATE_COLOUR.partial : STATE_COLOUR.none;
  return `<rect x="${round(x)}" y="${round(y)}" width="${width}" height="9" fill="#fff" stroke="${colour}" stroke-width="1.2"/><rect x="${round(x)}" y="${round(y)}" width="${round(width * share)}" height="9" fill="${colour}"/>`;
}

interface PanelLayout {
  panel: ChartPanelInput;
  x: number;
  width: number;
  titleLines: string[];
  /** Legend items of a panel with two bars. */
  legend: Array<{ bar: ChartBar; series: number; x: number; line: number }>;
  legendLines: number;
  /** Where bars start and how long the largest is. */
  barX: number;
  barMax: number;
  scale: number;
  withNotes: boolean;
}

/**
 * The layouts of the panels, by band, shared by the pages of one chart: they come from every row (the scale, the
 * widest label), so every page has the same ones, and measuring a hundred rows' labels again for each page was
 * most of the time a page's SVG took. One per chart (its input, texts and measure): see chartLayouts.
 */
export interface ChartLayouts {
  byBand: Map<string, PanelLayout[]>;
}

/** An empty store of layouts, for the pages of one chart. */
export function chartLayouts(): ChartLayouts {
  return { byBand: new Map() };
}

function panelLayouts(input: ChartInput, panels: ChartPanelInput[], x0: number, avail: number, measure: TextMeasure, texts: ChartTexts): PanelLayout[] {
  const n = Math.max(1, panels.length);
  const width = (avail - PANEL_GAP * (n - 1)) / n;
  return panels.map((panel, i) => {
    const x = x0 + i * (width + PANEL_GAP);
    const titleLines = wrapText(measure, panel.title, width, SIZE.header, true, 3);
    const legend: PanelLayout["legend"] = [];
    let line = 0;
    let lx = 0;
    if (panel.bars.length > 1) {
      panel.bars.forEach((bar, s) => {
        const w = 14 + 6 + measure.width(bar.label ?? "", SIZE.small) + 14;
        if (lx > 0 && lx + w > width) {
          line += 1;
          lx = 0;
        }
        legend.push({ bar, series: s, x: x + lx, line });
        lx += w;
      });
    }
    // The scale is shared by the bars of a panel and by both periods; a percentage is drawn out of 100.
    let max = 0;
    for (const row of input.rows) {
      for (const bar of panel.bars) max = Math.max(max, row.values?.[bar.field] ?? 0, row.previous?.[bar.field] ?? 0);
    }
    if (panel.bars.every((b) => b.kind === "percentage")) max = Math.max(100, max);
    const labelWidth = (notes: boolean) =>
      Math.max(
        measure.width(texts.no_data, SIZE.value),
        ...input.rows.flatMap((row) =>
          panel.bars.map((bar, b) => measure.width(barLabel(input, panel, bar, b, row, texts, notes) ?? "", SIZE.value)),
        ),
      );
    let withNotes = !!panel.note;
    let label = labelWidth(withNotes);
    // Notes are left out before the bars get too short to compare.
    if (withNotes && width - label - 8 < width * 0.4) {
      withNotes = false;
      label = labelWidth(false);
    }
    const barMax = Math.max(24, width - label - 10);
    return { panel, x, width, titleLines, legend, legendLines: legend.length ? line + 1 : 0, barX: x, barMax, scale: max > 0 ? barMax / max : 0, withNotes };
  });
}

function barLabel(input: ChartInput, panel: ChartPanelInput, bar: ChartBar, index: number, row: ChartRow, texts: ChartTexts, notes: boolean): string | undefined {
  const v = row.values?.[bar.field];
  if (v === undefined) return undefined;
  const value = formatFigure(bar.kind, v, texts);
  const note = notes && index === 0 ? noteOf(panel, row.values, input, texts) : undefined;
  return note ? `${value} · ${note}` : value;
}

function hatchDefs(): string {
  return `<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="${SERIES[1].fill}"/><rect width="2" height="6" fill="${SERIES[1].edge}"/></pattern></defs>`;
}

/** Rows in one picture: thirty areas still read on a phone and stay well under 300 KB. */
export const MAX_ROWS_PER_CHART = 30;

/** One page of a long chart: rows [from, to) of the input, page `index` of `count`. */
export interface ChartPage {
  from: number;
  to: number;
  index: number;
  count: number;
}

/** How many pictures a chart of `rows` rows takes. */
export function chartPageCount(rows: number): number {
  return Math.max(1, Math.ceil(rows / MAX_ROWS_PER_CHART));
}

/** The pages of a chart: at most MAX_ROWS_PER_CHART rows each, shared out evenly, so the last picture is not a
 * stub of one or two rows. */
export function chartPages(input: ChartInput): ChartPage[] {
  const count = chartPageCount(input.rows.length);
  const per = Math.ceil(input.rows.length / count);
  return Array.from({ length: count }, (_, index) => ({ from: index * per, to: Math.min(input.rows.length, (index + 1) * per), index: index + 1, count }));
}

/** The chart in pictures of at most MAX_ROWS_PER_CHART rows each, all on the same scale. */
export function buildChartPages(input: ChartInput, texts: ChartTexts, measure: TextMeasure): ChartSvg[] {
  const shared = chartLayouts();
  return chartPages(input).map((page) => buildChartSvg(input, texts, measure, page, shared));
}

/** Builds the chart (or one page of it). Rows keep the order they come in (the numbers /tiendo uses); the scale
 * and the label widths come from every row, so pages of one chart compare. `shared`: the layouts of the chart's
 * other pages, built with the same input, texts and measure. */
export function buildChartSvg(input: ChartInput, texts: ChartTexts, measure: TextMeasure, page?: ChartPage, shared = chartLayouts()): ChartSvg {
  const shown = input.rows.slice(page?.from ?? 0, page?.to ?? input.rows.length);
  const first = page?.from ?? 0;
  const W = CHART_WIDTH;
  const parts: string[] = [];
  let y = M;

  // Completeness is counted in areas at every level.
  const children = texts.rows_header.area.toLocaleLowerCase("vi");
  const title =
    fill(texts.title, { unit: input.unitName, period: input.periodLabel }) +
    (page && page.count > 1 ? fill(texts.page, { index: page.index, count: page.count }) : "");
  for (const line of wrapText(measure, title, W - 2 * M, SIZE.title, true, 2)) {
    parts.push(textEl(M, y + SIZE.title * 0.95, line, { size: SIZE.title, bold: true }));
    y += lineOf(SIZE.title);
  }
  const exempt = input.exempt ? fill(texts.subtitle_exempt, { n: input.exempt }) : "";
  const subtitle = fill(texts.subtitle, { submitted: input.submitted, total: input.total, children }) + exempt;
  for (const line of wrapText(measure, subtitle, W - 2 * M, SIZE.subtitle, false, 2)) {
    y += 2;
    parts.push(textEl(M, y + SIZE.subtitle * 0.95, line, { size: SIZE.subtitle, colour: MUTED }));
    y += lineOf(SIZE.subtitle);
  }

  // Legend of the two periods.
  y += 10;
  {
    const cy = y + 10;
    let x = M;
    const current = fill(texts.legend_current, { period: input.periodLabel });
    parts.push(`<rect x="${x}" y="${cy - BAR / 2}" width="28" height="${BAR}" fill="${SERIES[0].fill}"/>`);
    x += 36;
    parts.push(textEl(x, centreBaseline(cy, SIZE.small), current, { size: SIZE.small }));
    x += measure.width(current, SIZE.small) + 28;
    if (input.previousLabel) {
      const previous = fill(texts.legend_previous, { previous_period: input.previousLabel });
      parts.push(`<rect x="${x}" y="${cy - PREV_BAR / 2}" width="28" height="${PREV_BAR}" fill="${SERIES[0].light}" stroke="${SERIES[0].edge}" stroke-width="1"/>`);
      x += 36;
      parts.push(textEl(x, centreBaseline(cy, SIZE.small), fitLine(measure, previous, W - M - x, SIZE.small), { size: SIZE.small }));
    }
    y += 28;
  }

  // Columns: number and name, reporting state, then the panels (in bands when they do not fit side by side).
  const number = (i: number) => `${first + i + 1}.`;
  const numberWidth = measure.width(`${input.rows.length}.`, SIZE.name) + 8;
  const statuses = input.rows.map((r) => statusText(r.status, texts));
  const totalStatus = fill(texts.group_status, { submitted: input.submitted, total: input.total });
  const statusWidth = Math.min(
    240,
    Math.max(
      measure.width(texts.status_header, SIZE.header, true),
      measure.width(totalStatus, SIZE.value, true),
      ...statuses.map((s, i) => measure.width(s, SIZE.value) + (input.rows[i]!.status.kind === "area" ? ICON + 10 : 0)),
    ) + 18,
  );
  const x0 = M + NAME_COLUMN + statusWidth;
  const avail = W - M - x0;
  const perBand = Math.max(1, Math.min(input.panels.length, Math.floor((avail + PANEL_GAP) / (MIN_PANEL + PANEL_GAP))));
  const bands: ChartPanelInput[][] = [];
  for (let i = 0; i < input.panels.length; i += perBand) bands.push(input.panels.slice(i, i + perBand));
  if (bands.length === 0) bands.push([]);
  const withPrevious = !!input.previousLabel;

  const nameWidth = NAME_COLUMN - numberWidth - 14;
  const rowName = shown.map((r) => wrapText(measure, r.name, nameWidth, SIZE.name, false, 2));
  const totalName = wrapText(measure, fill(texts.total_row, { unit: inSentence(input.unitName) }), NAME_COLUMN - 14, SIZE.name, true, 2);

  parts.unshift(hatchDefs());
  for (const band of bands) {
    const key = `${x0} ${avail} ${band.map((p) => input.panels.indexOf(p)).join(",")}`;
    let layouts = shared.byBand.get(key);
    if (!layouts) shared.byBand.set(key, (layouts = panelLayouts(input, band, x0, avail, measure, texts)));
    y += 6;
    // Header row.
    const headerTop = y;
    const rowsHeader = input.rowLevel === "area" ? texts.rows_header.area : texts.rows_header.commune;
    const headLines = Math.max(1, ...layouts.map((l) => l.titleLines.length + l.legendLines));
    parts.push(textEl(M, headerTop + SIZE.header, rowsHeader, { size: SIZE.header, bold: true }));
    parts.push(textEl(M + NAME_COLUMN, headerTop + SIZE.header, texts.status_header, { size: SIZE.header, bold: true }));
    for (const l of layouts) {
      l.titleLines.forEach((line, i) => parts.push(textEl(l.x, headerTop + SIZE.header + i * lineOf(SIZE.header), line, { size: SIZE.header, bold: true })));
      for (const item of l.legend) {
        const cy = headerTop + (l.titleLines.length + item.line) * lineOf(SIZE.header) + lineOf(SIZE.header) / 2 + 2;
        const s = SERIES[item.series]!;
        parts.push(`<rect x="${round(item.x)}" y="${round(cy - 7)}" width="14" height="14" fill="${s.pattern ? `url(#${s.pattern})` : s.fill}"/>`);
        parts.push(textEl(item.x + 20, centreBaseline(cy, SIZE.small), item.bar.label ?? "", { size: SIZE.small }));
      }
    }
    y = headerTop + headLines * lineOf(SIZE.header) + 8;
    parts.push(`<rect x="${M}" y="${round(y)}" width="${W - 2 * M}" height="2" fill="${INK}"/>`);
    y += 2;

    // The whole unit: its figures as text, the previous period's under them.
    {
      const top = y;
      const lines: number[] = [totalName.length * lineOf(SIZE.name), lineOf(SIZE.value)];
      const cells = layouts.map((l) => {
        const out: Array<{ text: string; bold: boolean; colour: string }> = [];
        l.panel.bars.forEach((bar, b) => {
          const v = input.totals.values?.[bar.field];
          const value = v === undefined ? texts.no_data : formatFigure(bar.kind, v, texts);
          const note = b === 0 ? noteOf(l.panel, input.totals.values, input, texts) : undefined;
          const head = bar.label && l.panel.bars.length > 1 ? `${bar.label}: ` : "";
          out.push({ text: `${head}${value}${note ? ` · ${note}` : ""}`, bold: true, colour: INK });
        });
        if (withPrevious) {
          const prev = l.panel.bars.map((bar) => {
            const v = input.totals.previous?.[bar.field];
            return v === undefined ? texts.no_data : formatFigure(bar.kind, v, texts);
          });
          out.push({ text: `${input.previousLabel}: ${prev.join(" / ")}`, bold: false, colour: MUTED });
        }
        return out.flatMap((c) => wrapText(measure, c.text, l.width, SIZE.value, c.bold, 2).map((t) => ({ ...c, text: t })));
      });
      lines.push(...cells.map((c) => c.length * lineOf(SIZE.value)));
      const h = Math.max(...lines) + ROW_PAD;
      totalName.forEach((line, i) => parts.push(textEl(M, top + ROW_PAD / 2 + SIZE.name + i * lineOf(SIZE.name), line, { size: SIZE.name, bold: true })));
      parts.push(textEl(M + NAME_COLUMN, top + ROW_PAD / 2 + SIZE.value, totalStatus, { size: SIZE.value, bold: true }));
      parts.push(completenessBar(M + NAME_COLUMN, top + ROW_PAD / 2 + lineOf(SIZE.value) + 2, Math.min(90, statusWidth - 18), input.submitted, input.total));
      cells.forEach((c, i) =>
        c.forEach((line, k) =>
          parts.push(textEl(layouts[i]!.x, top + ROW_PAD / 2 + SIZE.value + k * lineOf(SIZE.value), line.text, { size: SIZE.value, bold: line.bold, colour: line.colour })),
        ),
      );
      y = top + Math.max(h, lineOf(SIZE.value) + 24);
      parts.push(`<rect x="${M}" y="${round(y)}" width="${W - 2 * M}" height="1" fill="${RULE}"/>`);
      y += 1;
    }

    // One row per unit.
    const barsHeight = (n: number) => n * (BAR + (withPrevious ? PREV_GAP + PREV_BAR : 0)) + Math.max(0, n - 1) * BAR_GAP;
    const rowsTop = y;
    shown.forEach((row, r) => {
      const top = y;
      const nameLines = rowName[r]!;
      const barH = Math.max(0, ...layouts.map((l) => barsHeight(l.panel.bars.length)));
      const statusH = row.status.kind === "group" ? lineOf(SIZE.value) + 14 : ICON + 4;
      const h = Math.max(nameLines.length * lineOf(SIZE.name), barH, statusH) + ROW_PAD;
      if (r % 2 === 1) parts.push(`<rect x="${M}" y="${round(top)}" width="${W - 2 * M}" height="${round(h)}" fill="${STRIPE}"/>`);
      const nameTop = top + (h - nameLines.length * lineOf(SIZE.name)) / 2;
      parts.push(textEl(M + numberWidth - 8, nameTop + SIZE.name, number(r), { size: SIZE.name, anchor: "end", colour: MUTED }));
      nameLines.forEach((line, i) => parts.push(textEl(M + numberWidth, nameTop + SIZE.name + i * lineOf(SIZE.name), line, { size: SIZE.name })));

      const status = statuses[first + r]!;
      if (row.status.kind === "area") {
        const cy = top + h / 2;
        parts.push(statusIcon(row.status, M + NAME_COLUMN + ICON / 2, cy));
        parts.push(textEl(M + NAME_COLUMN + ICON + 10, centreBaseline(cy, SIZE.value), status, { size: SIZE.value }));
      } else {
        const sTop = top + (h - (lineOf(SIZE.value) + 14)) / 2;
        parts.push(textEl(M + NAME_COLUMN, sTop + SIZE.value, status, { size: SIZE.value }));
        parts.push(completenessBar(M + NAME_COLUMN, sTop + lineOf(SIZE.value) + 3, Math.min(90, statusWidth - 18), row.status.submitted, row.status.total));
      }

      for (const l of layouts) {
        let by = top + (h - barsHeight(l.panel.bars.length)) / 2;
        l.panel.bars.forEach((bar, b) => {
          const s = SERIES[Math.min(b, SERIES.length - 1)]!;
          const v = row.values?.[bar.field];
          const cy = by + BAR / 2;
          if (v === undefined) {
            parts.push(textEl(l.barX + 2, centreBaseline(cy, SIZE.value), texts.no_data, { size: SIZE.value, colour: MUTED }));
          } else {
            const len = Math.max(0, v) * l.scale;
            // Zero is a hairline, so a reported zero differs from a missing figure.
            parts.push(`<rect x="${round(l.barX)}" y="${round(by)}" width="${round(Math.max(2, len))}" height="${BAR}" fill="${s.pattern ? `url(#${s.pattern})` : s.fill}"/>`);
            const label = barLabel(input, l.panel, bar, b, row, texts, l.withNotes) ?? "";
            parts.push(textEl(l.barX + Math.max(2, len) + 6, centreBaseline(cy, SIZE.value), label, { size: SIZE.value }));
          }
          const p = row.previous?.[bar.field];
          if (withPrevious && p !== undefined) {
            const len = Math.max(0, p) * l.scale;
            parts.push(`<rect x="${round(l.barX + 0.5)}" y="${round(by + BAR + PREV_GAP)}" width="${round(Math.max(1.5, len - 1))}" height="${PREV_BAR}" fill="${s.light}" stroke="${s.edge}" stroke-width="1"/>`);
          }
          by += BAR + (withPrevious ? PREV_GAP + PREV_BAR : 0) + BAR_GAP;
        });
      }
      y = top + h;
    });
    // The zero line of each panel.
    for (const l of layouts) parts.push(`<rect x="${round(l.barX - 1)}" y="${round(rowsTop)}" width="1" height="${round(Math.max(0, y - rowsTop))}" fill="${RULE}"/>`);
    parts.push(`<rect x="${M}" y="${round(y)}" width="${W - 2 * M}" height="1" fill="${RULE}"/>`);
    y += 18;
  }

  const time = formatClock(input.asOf);
  const footer = fill(texts.footer, { time, date: formatChatDate(localDate(input.asOf)) });
  parts.push(textEl(M, y + SIZE.small, footer, { size: SIZE.small, colour: MUTED }));
  y += lineOf(SIZE.small) + M / 2;

  const height = Math.ceil(y);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="${CHART_FONT_FAMILY}">` +
    `<rect width="${W}" height="${height}" fill="#ffffff"/>${parts.join("")}</svg>`;
  return { svg, width: W, height };
}
