// What a benchmark reports: figures, each with its value, unit and the baseline(s) measured in the same run,
// plus the small statistics and the table/JSON output shared by every section.
import { cpus, totalmem } from "node:os";

export interface Baseline {
  name: string;
  value: number;
  unit: string;
  /** value of the figure / value of the baseline (same unit), when the two are comparable. */
  ratio?: number;
}

export interface Figure {
  /** Stable key for tooling, e.g. "latency.bot.median". */
  id: string;
  section: string;
  name: string;
  value: number;
  unit: string;
  baselines: Baseline[];
  /** One line on how it was measured, when the name alone does not say it. */
  note?: string;
  /** The goal this figure is judged by, and whether this run meets it. */
  target?: { text: string; pass: boolean };
  /** Why the value is only a lower bound ("stopped after 60 s"), when it is one. */
  bound?: string;
}

/** A figure whose baselines get their ratio filled in (only when the units agree). */
export function figure(f: Omit<Figure, "baselines"> & { baselines: Array<Omit<Baseline, "ratio">> }): Figure {
  return {
    ...f,
    baselines: f.baselines.map((b) => ({
      ...b,
      ...(b.unit === f.unit && b.value !== 0 && Number.isFinite(b.value) ? { ratio: f.value / b.value } : {}),
    })),
  };
}

export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest-rank: p99 of 500 samples is the 495th smallest, never an interpolation below a real sample.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export const median = (s: readonly number[]): number => quantile(s, 0.5);
export const p99 = (s: readonly number[]): number => quantile(s, 0.99);

export function machine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? "unknown",
    memoryMB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function fmt(v: number): string {
  if (Number.isNaN(v)) return "—";
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString("en-US");
  if (abs >= 100) return v.toFixed(0);
  if (abs >= 10) return v.toFixed(1);
  if (abs >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

const ratioText = (r: number | undefined): string => (r === undefined ? "" : `×${r >= 10 ? r.toFixed(0) : r.toFixed(2)}`);

const verdict = (f: Figure): string => (f.target ? `${f.target.pass ? "PASS" : "FAIL"} ${f.target.text}` : "");

/**
 * A plain-text table: one row per figure, its baselines on the following rows, its target and verdict at the
 * end of its first row. A value that is only a lower bound (the measure was stopped) reads "> value".
 */
export function table(figures: readonly Figure[]): string {
  const rows: string[][] = [["section", "figure", "value", "unit", "baseline", "baseline value", "ratio", "target"]];
  let section = "";
  for (const f of figures) {
    const sec = f.section === section ? "" : f.section;
    section = f.section;
    const [first, ...rest] = f.baselines;
    const value = `${f.bound ? "> " : ""}${fmt(f.value)}`;
    rows.push([sec, f.name, value, f.unit, first?.name ?? "", first ? `${fmt(first.value)} ${first.unit}` : "", ratioText(first?.ratio), verdict(f)]);
    for (const b of rest) rows.push(["", "", "", "", b.name, `${fmt(b.value)} ${b.unit}`, ratioText(b.ratio), ""]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...r[c]!].length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 2 || c === 5 || c === 6 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd();
  const out = [line(rows[0]!), widths.map((w) => "─".repeat(w)).join("  ")];
  for (const r of rows.slice(1)) out.push(line(r));
  return out.join("\n");
}

/** The figures that have a target, as the JSON lists them. */
export function targetsOf(figures: readonly Figure[]): Array<Record<string, unknown>> {
  return figures
    .filter((f) => f.target)
    .map((f) => ({
      id: f.id,
      name: `${f.section}: ${f.name}`,
      value: Number.isFinite(f.value) ? f.value : null,
      unit: f.unit,
      target: f.target!.text,
      pass: f.target!.pass,
      ...(f.bound ? { lowerBound: f.bound } : {}),
    }));
}
