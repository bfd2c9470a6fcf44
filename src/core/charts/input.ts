// What a summary chart draws, as plain data: one row per unit (an area, or a commune under a district), its
// reporting state and its main figures, this period and the previous one. Built from a Summary today
// (from-summary.ts); whatever computes the totals later only has to fill this in.

/** How a figure is written: a count (3.850), money (15,5 triệu) or a percentage (66,7%). */
export type FigureKind = "count" | "money" | "percentage";

export type AreaState = "accepted" | "submitted" | "returned" | "in_progress" | "not_started" | "exempt";

export type RowStatus =
  /** An area: where its report stands. */
  | { kind: "area"; state: AreaState; sectionsDone: number; sectionsTotal: number }
  /** A commune (or higher unit): how many of its areas are in. */
  | { kind: "group"; submitted: number; total: number };

export interface ChartRow {
  name: string;
  status: RowStatus;
  /** Figures of the period, by field id; absent when the unit has submitted nothing. */
  values?: Record<string, number>;
  /** The same figures of the previous period, when the unit reported then. */
  previous?: Record<string, number>;
}

export interface ChartBar {
  field: string;
  /** Tells two bars of a panel apart ("Vận động", "Đã chi"); none for a single bar. */
  label?: string;
  kind: FigureKind;
}

export interface ChartPanelInput {
  title: string;
  bars: ChartBar[];
  /** Written after each figure, with {field} placeholders ("{tt_so_buoi} buổi"). */
  note?: string;
}

export interface ChartInput {
  unitName: string;
  periodLabel: string;
  /** The previous period's label, when any unit reported in it. */
  previousLabel?: string;
  /** What the rows are. */
  rowLevel: "area" | "commune";
  /** Areas that have submitted, of the areas expected (every area but the exempt ones). */
  submitted: number;
  total: number;
  /** Units excused from the report (not in `total`). */
  exempt?: number;
  panels: ChartPanelInput[];
  /** Kinds of every figure a panel or note mentions. */
  kinds: Record<string, FigureKind>;
  /** The whole unit's figures (the first row). */
  totals: { values?: Record<string, number>; previous?: Record<string, number> };
  rows: ChartRow[];
  /** When the figures were read (local time, for the footer). */
  asOf: Date;
}
