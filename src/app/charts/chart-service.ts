// The summary chart of a unit, form and period as PNG bytes, read from the data committed now: the same
// Summary that /tonghop and the drafts read, plus the previous period's for each row's thin bar. A chart of
// more than thirty units comes as several pictures on one scale.
import type { Clock } from "../../core/clock.js";
import { summarize, type Summary } from "../../core/aggregate/summary.js";
import { chartInputFromSummary } from "../../core/charts/from-summary.js";
import type { ChartInput } from "../../core/charts/input.js";
import { buildChartSvg, chartLayouts, chartPages, outlineTexts, type ChartSvg } from "../../core/charts/svg-chart.js";
import type { ImageBlock } from "../../core/report/document.js";
import { fill } from "../../core/messages.js";
import { periodFileLabel, previousPeriod, type Period } from "../../core/periods.js";
import { periodOfKey } from "../../core/period-of-key.js";
import type { ReportKey } from "../../core/report-key.js";
import { inSentence } from "../../core/report/unit-names.js";
import type { Prompts } from "../../config/load-prompts.js";
import { withTakenFigures } from "../../core/forms/taken-world.js";
import type { World } from "../../core/world.js";
import { fileSlug } from "../documents.js";
import { chartFontsLoaded } from "./fonts.js";
import { renderOutlinedPng } from "./render-png.js";

export interface ChartImage extends ImageBlock {
  png: Buffer;
  /** ASCII file name, e.g. "Bieu-do-thang-11-2026-Xa-Tan-Khai.png" ("…-2.png" for a second picture). */
  filename: string;
}

/** A chart picture as soon as its drawing has started: everything but its PNG, which follows. */
export type ChartPicture = Omit<ChartImage, "png"> & { png: Promise<Buffer> };

/** Pictures drawn at once: one per core of a two-core machine; more would only hold more pixels in memory. */
const PAGES_AT_ONCE = 2;

/** A chart's page whose PNG is still being drawn: its size is known as soon as its SVG is written. */
export type PendingPage = ChartSvg & { png: Promise<Buffer> };

/**
 * The pages of an input, each one's drawing started as soon as its SVG is written, PAGES_AT_ONCE at a time (a page
 * starts when the one PAGES_AT_ONCE before it is done), so that the thread pool draws while this thread goes on.
 */
export async function startChart(input: ChartInput, prompts: Prompts): Promise<PendingPage[]> {
  const fonts = await chartFontsLoaded();
  const pages: PendingPage[] = [];
  const shared = chartLayouts();
  for (const range of chartPages(input)) {
    const page = buildChartSvg(input, prompts.chart, fonts, range, shared);
    const outlined = outlineTexts(page.svg, fonts);
    const before = pages[pages.length - PAGES_AT_ONCE]?.png;
    const png = before ? before.then(() => renderOutlinedPng(outlined), () => renderOutlinedPng(outlined)) : renderOutlinedPng(outlined);
    // Whoever takes the pictures sees a failure; one that nobody waits for any more is not an unhandled rejection.
    png.catch(() => {});
    pages.push({ ...page, png });
  }
  return pages;
}

/** The pictures of an input already built (tests, samples, other sources of totals). */
export async function drawChart(input: ChartInput, prompts: Prompts): Promise<Array<ChartSvg & { png: Buffer }>> {
  const pages = await startChart(input, prompts);
  return Promise.all(pages.map(async (page) => ({ ...page, png: await page.png })));
}

/** Text alternative of a chart: who it is about and how many have submitted. */
export function chartAlt(input: ChartInput, prompts: Prompts): string {
  const children = prompts.report.levels.area;
  return fill(prompts.chart.alt, { period: input.periodLabel, unit: inSentence(input.unitName), submitted: input.submitted, total: input.total, children });
}

export class ChartService {
  private readonly world: World;
  /** The pictures drawn last, by their input. */
  private last?: { key: string; pictures: Promise<ChartPicture[]> };

  constructor(
    world: World,
    private readonly prompts: Prompts,
    private readonly clock: Clock,
  ) {
    // Answers carry the figures forms take from other forms' reports.
    this.world = withTakenFigures(world, prompts.forms);
  }

  /** The chart's input for a unit's summary (`report.unit` is that unit), or undefined when the unit, form or
   * period does not fit. */
  input(report: ReportKey, summary?: Summary): ChartInput | undefined {
    const form = this.prompts.forms.find((f) => f.id === report.form);
    const unit = this.world.unit(report.unit);
    const period = form ? periodOfKey(this.world, form, report.period) : undefined;
    if (!form || !unit || !period || unit.level === "area") return undefined;
    const current = summary ?? summarize(this.world.summaryData(unit, form, period));
    if (!current) return undefined;
    const before: Summary | undefined = current.previous ? summarize(this.world.summaryData(unit, form, previousPeriod(period))) : undefined;
    return chartInputFromSummary(current, before, this.clock.now());
  }

  /** The pictures of a unit's summary chart (one, unless it has more than thirty rows), as the drafts and the
   * web view show them and a chat sends them (an outbox message's `chart`). `summary`, when the caller has
   * already read it, is that unit's summary of the same report (the draft's), so it is not read twice. */
  async images(report: ReportKey, summary?: Summary): Promise<ChartImage[]> {
    const pictures = await this.pictures(report, summary);
    return Promise.all(pictures.map(async (p) => ({ ...p, png: await p.png })));
  }

  /** The same pictures as `images`, returned as soon as they are laid out, their PNGs still being drawn: a draft
   * writes its text meanwhile. A failure to draw is its PNG's. */
  async pictures(report: ReportKey, summary?: Summary): Promise<ChartPicture[]> {
    const input = this.input(report, summary);
    const form = this.prompts.forms.find((f) => f.id === report.form);
    const period = form ? periodOfKey(this.world, form, report.period) : undefined;
    if (!input || !period) throw new Error(`No chart for ${report.unit}/${report.form}/${report.period}`);
    // The same input draws the same pictures: a message that carries the chart and a draft that embeds it
    // draw it once. The time is drawn to the minute, so it is keyed to the minute.
    const key = JSON.stringify({ ...input, asOf: Math.floor(input.asOf.getTime() / 60_000) });
    if (this.last?.key !== key) {
      const pictures = this.draw(input, period);
      this.last = { key, pictures };
      // A failed drawing is not remembered: the next message tries again.
      void pictures
        .then((ps) => Promise.all(ps.map((p) => p.png)))
        .catch(() => {
          if (this.last?.pictures === pictures) this.last = undefined;
        });
    }
    return this.last.pictures;
  }

  private async draw(input: ChartInput, period: Period): Promise<ChartPicture[]> {
    const pages = await startChart(input, this.prompts);
    const children = this.prompts.report.levels[input.rowLevel];
    const base = `Bieu-do-${periodFileLabel(period)}-${fileSlug(input.unitName)}`;
    return pages.map((chart, i) => ({
      png: chart.png,
      width: chart.width,
      height: chart.height,
      alt: chartAlt(input, this.prompts) + (pages.length > 1 ? fill(this.prompts.chart.page, { index: i + 1, count: pages.length }) : ""),
      caption: i === pages.length - 1 ? fill(this.prompts.chart.caption, { period: input.periodLabel, children }) : undefined,
      filename: `${base}${pages.length > 1 ? `-${i + 1}` : ""}.png`,
    }));
  }
}
