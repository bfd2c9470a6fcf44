// Serves the web view: /web/<token> is a staff member's or officer's own page, for their units and everything
// below them, with the chart, the drafts and the .xlsx under the same token. Every request checks the link
// (unknown, expired, revoked) and the person's roles at that moment; a unit outside their subtree gets a polite
// page and no data.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../../core/clock.js";
import { summarize } from "../../core/aggregate/summary.js";
import { memberPeriods } from "../../core/forms/form-periods.js";
import { chartInputFromSummary } from "../../core/charts/from-summary.js";
import { chartPageCount } from "../../core/charts/svg-chart.js";
import type { Ctx } from "../../core/conversation/context.js";
import { collectedPeriod, fills, formsOverseenBy, openFormsOver } from "../../core/open-reports.js";
import { WEB_PREFIX, timeAndDate } from "../../core/conversation/web-view.js";
import type { FormDef } from "../../core/forms/schema.js";
import { fill } from "../../core/messages.js";
import { periodKey, type Period } from "../../core/periods.js";
import { periodOfKey } from "../../core/period-of-key.js";
import type { Person, Unit } from "../../core/types.js";
import { renderNotice, renderWebPage, type PageLinks } from "../../core/web/page.js";
import { reportView, type ReportView } from "../../core/web/view.js";
import type { Prompts } from "../../config/load-prompts.js";
import { withTakenFigures } from "../../core/forms/taken-world.js";
import type { World } from "../../core/world.js";
import type { WebLinkStore } from "../../store/web-links.js";
import type { RenderedFile } from "../documents.js";
import type { DraftMaker } from "../drafts/draft-maker.js";
import { contentDisposition, contentTypeOf } from "../file-links.js";
import type { HttpServer } from "../http-server.js";
import { chartAlt } from "../charts/chart-service.js";

const PAGE_HEADERS = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-robots-tag": "noindex, nofollow",
  // No script at all; pictures only from here; the page may open inside Telegram (a Mini App).
  "content-security-policy":
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self' https://web.telegram.org",
} as const;

interface Access {
  token: string;
  person: Person;
  expiresAt: number;
  /** The units the person oversees, none inside another. */
  roots: Unit[];
}

export class WebView {
  private readonly world: World;

  constructor(
    world: World,
    private readonly links: WebLinkStore,
    private readonly prompts: Prompts,
    private readonly clock: Clock,
    private readonly documents: DraftMaker,
  ) {
    // Answers carry the figures forms take from other forms' reports.
    this.world = withTakenFigures(world, prompts.forms);
  }

  private ctx(): Ctx {
    const p = this.prompts;
    return { world: this.world, forms: p.forms, messages: p.messages, report: p.report, now: this.clock.now(), newToken: () => "" };
  }

  private access(token: string): Access | "expired" | "revoked" | "missing" | "no_access" {
    const found = this.links.lookup(token, this.clock.now().getTime());
    if (found.status !== "ok") return found.status;
    const person = this.world.person(found.person) ?? { ...found.person, name: "" };
    const units = this.world
      .roles(found.person)
      .filter((g) => g.role !== "reporter")
      .map((g) => this.world.unit(g.unitCode))
      .filter((u): u is Unit => !!u && u.level !== "area");
    const codes = new Set(units.map((u) => u.code));
    // A unit inside another of the person's units is reached from it.
    const roots = units
      .filter((u, i) => units.findIndex((x) => x.code === u.code) === i)
      .filter((u) => !this.world.lineage(u.code).slice(1).some((a) => codes.has(a.code)));
    if (roots.length === 0) return "no_access";
    return { token, person, expiresAt: found.expiresAt, roots };
  }

  /** The unit if it lies in the person's subtrees. */
  private inReach(a: Access, code: string | null | undefined): Unit | undefined {
    if (!code) return undefined;
    const lineage = this.world.lineage(code);
    return lineage.some((u) => a.roots.some((r) => r.code === u.code)) ? lineage[0] : undefined;
  }

  /** The period being collected of a form for the unit, or the one asked for. */
  private period(form: FormDef, unit: Unit, key: string | null): Period | undefined {
    if (!key) return collectedPeriod(this.ctx(), form, unit.code);
    const p = periodOfKey(this.world, form, key);
    return p && memberPeriods(form, p) ? p : undefined;
  }

  private pageLinks(a: Access, unit: Unit): PageLinks {
    const base = `${WEB_PREFIX}${a.token}`;
    const q = (r: ReportView, code = unit.code) => `?dv=${encodeURIComponent(code)}&bm=${encodeURIComponent(r.formId)}&ky=${encodeURIComponent(r.periodKey)}`;
    return {
      unit: (code) => `${base}?dv=${encodeURIComponent(code)}`,
      chart: (r, page) => `${base}/bieu-do.png${q(r)}${page > 1 ? `&trang=${page}` : ""}`,
      summary: (r) => `${base}/tong-hop.docx${q(r)}`,
      export: (r) => `${base}/so-lieu.xlsx${q(r)}`,
      areaDraft: (r, code) => `${base}/khu.docx${q(r, code)}`,
    };
  }

  /** The HTML of a unit's page. */
  page(a: Access, unit: Unit): string {
    const ctx = this.ctx();
    // Every report kind being collected under the unit (or, when none is, every kind that applies), each for its period.
    const open = openFormsOver(ctx, unit);
    const shown = open.length > 0 ? open : formsOverseenBy(ctx.forms, unit).map((form) => ({ form, period: collectedPeriod(ctx, form, unit.code) }));
    const reports = shown.flatMap(({ form, period }) => {
      const s = summarize(this.world.summaryData(unit, form, period));
      if (!s) return [];
      const input = chartInputFromSummary(s, undefined, ctx.now);
      return [{ view: reportView(ctx, s, this.prompts), chartAlt: chartAlt(input, this.prompts), chartPages: chartPageCount(input.rows.length) }];
    });
    const parent = unit.parentCode ? this.inReach(a, unit.parentCode) : undefined;
    const now = this.clock.now();
    return renderWebPage(
      {
        unit: { code: unit.code, name: unit.name },
        up: parent ? { code: parent.code, name: parent.name } : undefined,
        personName: a.person.name,
        expires: timeAndDate(new Date(a.expiresAt)),
        updated: fill(this.prompts.web.updated, timeAndDate(now)),
        reports,
      },
      this.prompts.web,
      this.pageLinks(a, unit),
    );
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const [token = "", ...rest] = url.pathname.slice(WEB_PREFIX.length).split("/");
    const what = rest.join("/");
    const t = this.prompts.web;
    const notice = (status: number, n: { title: string; text: string }) => this.send(req, res, status, "text/html; charset=utf-8", Buffer.from(renderNotice(n)));

    const a = this.access(token);
    if (a === "missing") return notice(404, t.missing);
    if (a === "expired") return notice(410, t.expired);
    if (a === "revoked") return notice(410, t.revoked);
    if (a === "no_access") return notice(403, t.no_access);

    const asked = url.searchParams.get("dv");
    const unit = asked ? this.inReach(a, asked) : a.roots[0];
    if (!unit) return notice(403, t.no_access);
    if (what === "") {
      if (unit.level === "area") return notice(404, t.missing);
      return this.send(req, res, 200, "text/html; charset=utf-8", Buffer.from(this.page(a, unit)));
    }

    const form = this.prompts.forms.find((f) => f.id === url.searchParams.get("bm"));
    const period = form ? this.period(form, unit, url.searchParams.get("ky")) : undefined;
    if (!form || !period) return notice(404, t.missing);
    const report = { unit: unit.code, form: form.id, period: periodKey(period) };
    let file: RenderedFile | undefined;
    if (what === "bieu-do.png" && unit.level !== "area") {
      const chart = (await this.documents.charts.images(report))[Number(url.searchParams.get("trang") ?? "1") - 1];
      if (chart) file = { filename: chart.filename, bytes: chart.png };
    } else if (what === "tong-hop.docx" && unit.level !== "area") file = await this.documents.summaryReport(report);
    else if (what === "so-lieu.xlsx" && unit.level !== "area") file = await this.documents.exportSheet(report);
    // A reporting unit's own draft: an area's, or a commune's for a form communes fill.
    else if (what === "khu.docx" && fills(form, unit.level)) file = await this.documents.areaReport(report);
    if (!file) return notice(404, t.missing);
    const inline = file.filename.endsWith(".png");
    this.send(req, res, 200, inline ? "image/png" : contentTypeOf(file.filename), file.bytes, inline ? undefined : contentDisposition(file.filename, file.displayName));
  }

  private send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: Buffer, disposition?: string): void {
    res.writeHead(status, {
      ...PAGE_HEADERS,
      "content-type": type,
      "content-length": String(body.length),
      ...(disposition ? { "content-disposition": disposition } : {}),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  }
}

/** Serves the web view from the bot's HTTP server. */
export function serveWebView(http: HttpServer, view: WebView): void {
  http.routePrefix(WEB_PREFIX, (req, res) => view.handle(req, res));
}
