// The web view as one server-rendered HTML page: mobile first, a few kilobytes of inline CSS and no script,
// real headings, tables with th/scope and a caption, colours with enough contrast and states written in words.
import { fill } from "../messages.js";
import type { ReportView, UnitLink } from "./view.js";
import type { WebTexts } from "./texts.js";

export interface PageView {
  unit: UnitLink;
  /** The unit above, when it is within the person's reach. */
  up?: UnitLink;
  personName: string;
  /** When the link stops working, local time. */
  expires: { time: string; date: string };
  /** "Số liệu lúc …" already filled. */
  updated: string;
  /** Each open report, with the text alternative of its chart and how many pictures the chart takes. */
  reports: Array<{ view: ReportView; chartAlt: string; chartPages: number }>;
}

/** Addresses of everything the page links to (all under the person's token). */
export interface PageLinks {
  unit(code: string): string;
  /** The chart's picture `page` (from 1). */
  chart(r: ReportView, page: number): string;
  summary(r: ReportView): string;
  export(r: ReportView): string;
  areaDraft(r: ReportView, areaCode: string): string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const e = escapeHtml;

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1a1a1a;background:#fff}
header,main,footer{max-width:64rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem;border-bottom:2px solid #1a1a1a}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0}
h2{font-size:1.25rem;line-height:1.3;margin:1.75rem 0 .5rem;padding-top:.5rem;border-top:1px solid #bbb}
h3{font-size:1.05rem;margin:1.25rem 0 .4rem}
p{margin:.4rem 0}
a{color:#0b4f9c}
a:focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}
.muted{color:#4d4d4d}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.up{margin:0}
nav ul,.files{padding-left:1.2rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.25rem 0 .75rem}
.scroll:focus-visible{outline:3px solid #0b4f9c}
table{border-collapse:collapse;min-width:100%;font-size:.95rem}
caption{text-align:left}
th,td{border:1px solid #8c8c8c;padding:.35rem .5rem;vertical-align:top;text-align:left}
thead th{background:#e9edf3}
td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
th[scope=row]{font-weight:600}
.wide th[scope=row]{position:sticky;left:0;background:#fff;min-width:8.5rem}
.st{font-weight:600;white-space:nowrap}
.st-accepted,.st-submitted{color:#1b5e34}
.st-in_progress{color:#6e4700}
.st-returned{color:#a11d13}
.st-not_started{color:#4d4d4d}
.st-exempt{color:#4d4d4d;font-style:italic}
.st-group{color:#1a1a1a}
img.chart{display:block;width:100%;max-width:1200px;height:auto;border:1px solid #ccc}
footer{margin-top:2rem;padding:1rem;border-top:1px solid #bbb;font-size:.9rem;color:#4d4d4d}
.notice{max-width:36rem;margin:3rem auto;padding:0 1rem}
@media (min-width:48rem){body{font-size:17px}h1{font-size:1.9rem}}
`;

/** Marks that tell a state without colour: ✓ in, ◐ part-way, ! returned, ○ not started, – exempt. */
const MARK: Record<string, string> = { accepted: "✓✓", submitted: "✓", in_progress: "◐", returned: "!", not_started: "○", exempt: "–", group: "" };

function shell(title: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer"><title>${e(title)}</title><style>${CSS.replace(/\n/g, "")}</style></head><body>${body}</body></html>`;
}

function table(caption: string, columns: string[], rows: string[][], opts: { wide?: boolean; numeric?: number } = {}): string {
  const head = columns.map((c) => `<th scope="col">${e(c)}</th>`).join("");
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td${opts.numeric !== undefined && i >= opts.numeric ? ' class="n"' : ""}>${c}</td>`)).join("")}</tr>`)
    .join("");
  // The heading above says what the table is; the caption names it for screen readers.
  const t = `<table${opts.wide ? ' class="wide"' : ""}><caption class="sr">${e(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  // A wide table scrolls by itself; keyboard users reach it with Tab.
  return `<div class="scroll" role="region" tabindex="0" aria-label="${e(caption)}">${t}</div>`;
}

function reportSection(r: ReportView, chartAlt: string, chartPages: number, texts: WebTexts, links: PageLinks): string {
  const c = texts.columns;
  const id = (s: string) => `${r.anchor}-${s}`;
  const progressRows = r.progress.map((p) => {
    const state = `<span class="st st-${p.state}">${MARK[p.state] ? `<span aria-hidden="true">${MARK[p.state]} </span>` : ""}${e(p.text)}</span>`;
    // A commune's name opens its own page; a submitted area's draft can be downloaded.
    if (p.drillDown) return [`${p.number}. <a href="${e(links.unit(p.code))}">${e(p.name)}</a>`, state];
    const draft = p.draft ? `<a href="${e(links.areaDraft(r, p.code))}" download>${e(texts.download_area)}<span class="sr"> — ${e(p.name)}</span></a>` : "";
    return [`${p.number}. ${e(p.name)}`, state, draft];
  });
  const unitHeader = r.rowLevel === "area" ? c.area : c.commune;
  const parts = [
    `<section aria-labelledby="${r.anchor}"><h2 id="${r.anchor}">${e(r.heading)}</h2>`,
    `<p>${e(r.deadline)}</p>`,
    `<h3 id="${id("tien-do")}">${e(texts.progress_heading)}</h3>`,
    `<p><strong>${e(r.progressSummary)}</strong></p>`,
    table(texts.progress_heading, r.rowLevel === "area" ? [unitHeader, c.state, c.draft] : [unitHeader, c.state], progressRows),
  ];
  if (r.totals && r.figures) {
    const rows = (t: NonNullable<ReportView["totals"]>) => t.rows.map((row) => [e(row.label), e(row.unit), ...row.cells.map(e)]);
    parts.push(
      `<h3>${e(texts.totals_heading)}</h3>`,
      table(texts.totals_heading, r.totals.columns, rows(r.totals), { numeric: 2 }),
      `<h3>${e(texts.chart_heading)}</h3>`,
      // Tapping the chart opens it alone, to zoom on a phone.
      ...Array.from({ length: chartPages }, (_, i) => {
        const src = e(links.chart(r, i + 1));
        const alt = chartPages > 1 ? `${chartAlt} (${i + 1}/${chartPages})` : chartAlt;
        return `<a href="${src}"><img class="chart" src="${src}" width="1200" alt="${e(alt)}" loading="lazy"></a>`;
      }),
      `<h3>${e(texts.figures_heading)}</h3>`,
      `<p class="muted">${e(texts.figures_hint)}</p>`,
      table(texts.figures_heading, r.figures.columns, rows(r.figures), { wide: true, numeric: 2 }),
    );
  } else {
    parts.push(`<p>${e(texts.no_figures)}</p>`);
  }
  parts.push(
    `<h3>${e(texts.downloads_heading)}</h3>`,
    `<ul class="files"><li><a href="${e(links.summary(r))}" download>${e(texts.download_summary)}</a></li><li><a href="${e(links.export(r))}" download>${e(texts.download_export)}</a></li></ul>`,
    `</section>`,
  );
  return parts.join("");
}

/** The page of a unit: each open report with its progress, totals, chart, figures and downloads. */
export function renderWebPage(page: PageView, texts: WebTexts, links: PageLinks): string {
  const header = [
    `<header>`,
    page.up ? `<p class="up"><a href="${e(links.unit(page.up.code))}">${e(fill(texts.up, { unit: page.up.name }))}</a></p>` : "",
    `<h1>${e(page.unit.name)}</h1>`,
    `<p class="muted">${e(page.updated)}</p>`,
    `</header>`,
  ].join("");
  const contents = page.reports.length
    ? `<nav aria-labelledby="muc-luc"><h2 id="muc-luc">${e(texts.contents)}</h2><ul>${page.reports.map((r) => `<li><a href="#${r.view.anchor}">${e(r.view.heading)}</a></li>`).join("")}</ul></nav>`
    : `<p>${e(texts.no_reports)}</p>`;
  const sections = page.reports.map((r) => reportSection(r.view, r.chartAlt, r.chartPages, texts, links)).join("");
  const footer = `<footer><p>${e(fill(texts.footer, { name: page.personName, ...page.expires }))}</p></footer>`;
  return shell(fill(texts.title, { unit: page.unit.name }), `${header}<main>${contents}${sections}</main>${footer}`);
}

/** A page that shows no data: an expired, revoked or unknown link, or a unit outside the person's own. */
export function renderNotice(notice: { title: string; text: string }): string {
  return shell(notice.title, `<main class="notice"><h1>${e(notice.title)}</h1><p>${e(notice.text)}</p></main>`);
}
