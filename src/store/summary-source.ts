// What a Summary needs for one unit, read from the kept totals: the root's tallies and its children's, and —
// only where the reporting units are the root's own children (a commune's areas) — their stored facts, read a
// period at a time for all of them at once. Nothing here reads the answers of a subtree: a province or the
// country is a few rows per child.
import type { DB } from "./db.js";
import type { FormDef } from "../core/forms/schema.js";
import type { ChildUnit, Review, SummaryData } from "../core/aggregate/summary.js";
import { contribution, StandingCache } from "../core/aggregate/contribution.js";
import type { Tally, Variant } from "../core/aggregate/tally.js";
import { fills, reportingLevel } from "../core/open-reports.js";
import { periodKey, type Period } from "../core/periods.js";
import type { AnswerMap, Submission, Unit, Value } from "../core/types.js";
import { toUnit } from "./rows.js";
import { exemptionOf, StoredFacts, totalsQueries, type TotalsQueries, TotalsReader } from "./totals.js";
import type { Exemption } from "../core/exemption.js";

/** A period's facts of the root and its children, loaded once by period key. */
class PeriodCache<T> {
  private readonly byKey = new Map<string, Map<string, T>>();
  constructor(private readonly load: (key: string) => Map<string, T>) {}
  get(unit: string, key: string): T | undefined {
    let m = this.byKey.get(key);
    if (!m) this.byKey.set(key, (m = this.load(key)));
    return m.get(unit);
  }
}

export class SummarySource {
  private readonly q: TotalsQueries;
  private readonly reader: TotalsReader;
  private readonly children: Unit[];
  private readonly answers: PeriodCache<AnswerMap>;
  private readonly submissions: PeriodCache<Submission>;
  private readonly reviews: PeriodCache<Review>;
  private readonly exemptions: PeriodCache<Exemption>;

  constructor(
    db: DB,
    private readonly form: FormDef,
    private readonly root: Unit,
  ) {
    this.q = totalsQueries(db);
    this.reader = new TotalsReader(db);
    this.children = this.q.childUnits.all(root.code).map(toUnit);
    const args = (key: string) => [root.code, root.code, form.id, key] as const;
    this.answers = new PeriodCache((key) => {
      const m = new Map<string, AnswerMap>();
      for (const r of this.q.childAnswers.all(...args(key))) {
        let a = m.get(r.unit_code);
        if (!a) m.set(r.unit_code, (a = {}));
        a[r.field_id] = r.value_json === null ? null : (JSON.parse(r.value_json) as Value);
      }
      return m;
    });
    this.submissions = new PeriodCache(
      (key) => new Map(this.q.childSubmissions.all(...args(key)).map((r) => [r.unit_code, { status: r.status, version: r.version, completedAt: r.completed_at ?? undefined }])),
    );
    this.reviews = new PeriodCache((key) => new Map(this.q.childReviews.all(...args(key)).map((r) => [r.unit_code, { status: r.status, reason: r.reason ?? undefined, at: r.at }])));
    this.exemptions = new PeriodCache((key) => new Map(this.q.childExemptions.all(...args(key)).map((r) => [r.unit_code, exemptionOf(form.id, r)])));
  }

  /** A stored tally; a reporting unit (a column of its own beside others) has its own contribution instead. */
  private tally(unit: Unit, period: Period, variant: Variant): Tally | undefined {
    if (!fills(this.form, unit.level)) return this.reader.tally(unit.code, this.form.id, periodKey(period), variant);
    return contribution(this.form, period, variant, new StandingCache(this.form, new StoredFacts(this.q, unit.code, this.form.id)));
  }

  /** Everything summarize() needs for the root and `period`; targets come from the caller. */
  data(period: Period, targets: Record<string, number>): SummaryData {
    const { form, root } = this;
    const level = reportingLevel(form);
    const holds = (u: Unit) => (fills(form, u.level) ? 1 : this.reader.reach(u.code, level));
    // Listed one by one: the root that fills the form, or children that do when nothing deeper does.
    const listed = fills(form, root.level) || this.children.every((c) => fills(form, c.level) || this.reader.reach(c.code, level) === 0);
    const byCode = new Map([root, ...this.children].map((u) => [u.code, u]));
    const base = {
      form,
      root,
      period,
      answers: (u: string, k: string) => this.answers.get(u, k),
      submission: (u: string, k: string) => this.submissions.get(u, k),
      review: (u: string, k: string) => this.reviews.get(u, k),
      exemption: (u: string, k: string) => this.exemptions.get(u, k),
      tally: (u: string, p: Period, v: Variant) => {
        const unit = byCode.get(u);
        return unit ? this.tally(unit, p, v) : this.reader.tally(u, form.id, periodKey(p), v);
      },
      targets,
    };
    if (listed) {
      const units = [...(fills(form, root.level) ? [root] : []), ...this.children.filter((c) => fills(form, c.level))];
      return { ...base, areas: units.map((unit) => ({ unit, group: unit })) };
    }
    const children: ChildUnit[] = this.children.map((unit) => ({ unit, expected: holds(unit) })).filter((c) => c.expected > 0);
    return { ...base, areas: [], children, expected: this.reader.reach(root.code, level) };
  }
}
