// Chart inputs for the tests and the sample images: a commune with long Vietnamese area names, one area,
// thirty areas, zeros and no previous period, and a district of communes.
import type { ChartInput, ChartRow, RowStatus } from "../../src/core/charts/input.js";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { chartInputFromSummary } from "../../src/core/charts/from-summary.js";
import type { Summary } from "../../src/core/aggregate/summary.js";

const form = loadPrompts(DEFAULT_PROMPTS).forms[0]!;
export const AS_OF = new Date("2026-11-24T07:30:00Z");

/** The panels and kinds of the real form, through the real adapter (an empty summary of one area). */
function frame(): Pick<ChartInput, "panels" | "kinds"> {
  const unit = { code: "X", name: "Xã", level: "commune" as const, parentCode: null };
  const empty: Summary = { form, root: unit, period: { kind: "month", year: 2026, index: 11 }, listed: true, counts: { expected: 0, submitted: 0, accepted: 0, returned: 0, inProgress: 0, notStarted: 0, exempt: 0, contributing: 0, reports: 0 }, areas: [], submitted: [], missing: [], exempt: [], expected: 0, contributing: [], members: [], incomparable: [], columns: [], totals: { values: {}, units: 0, counts: {}, yes: {}, texts: {} }, targets: [] };
  const { panels, kinds } = chartInputFromSummary(empty, undefined, AS_OF);
  return { panels, kinds };
}

export const LONG_NAMES = [
  "Ấp Bến Đò",
  "Khu phố Nguyễn Thị Minh Khai Phường Bến Nghé",
  "Ấp Cây Dầu",
  "Tổ dân phố số 12 Khu tái định cư Đồng Xoài Mới",
  "Thôn Phước Lộc",
  "Ấp Ông Chưởng",
  "Bản Nậm Khắt",
  "Khu dân cư Đường Ngọc Khánh",
];

function figures(i: number, scale = 1): Record<string, number> {
  const buoi = 4 + ((i * 7) % 11);
  const tiep = 3 + ((i * 5) % 9);
  const thanh = Math.min(tiep, 1 + ((i * 3) % 8));
  return {
    tt_so_buoi: Math.round(buoi * scale),
    tt_luot_nguoi: Math.round((180 + ((i * 97) % 420)) * scale),
    hg_tiep_nhan: tiep,
    hg_thanh: thanh,
    hg_khong_thanh: tiep - thanh,
    hg_ty_le_thanh: (100 * thanh) / tiep,
    qvnn_van_dong: Math.round((4_500_000 + ((i * 2_750_000) % 16_000_000)) * scale),
    qvnn_chi: Math.round((2_000_000 + ((i * 1_900_000) % 11_000_000)) * scale),
  };
}

const STATES: RowStatus[] = [
  { kind: "area", state: "accepted", sectionsDone: 7, sectionsTotal: 7 },
  { kind: "area", state: "submitted", sectionsDone: 7, sectionsTotal: 7 },
  { kind: "area", state: "in_progress", sectionsDone: 3, sectionsTotal: 7 },
  { kind: "area", state: "returned", sectionsDone: 7, sectionsTotal: 7 },
  { kind: "area", state: "not_started", sectionsDone: 0, sectionsTotal: 7 },
];

function commune(names: string[], opts: { previous?: boolean; zeros?: boolean } = {}): ChartInput {
  const rows: ChartRow[] = names.map((name, i) => {
    const status = STATES[i % STATES.length]!;
    const submitted = status.kind === "area" && (status.state === "accepted" || status.state === "submitted");
    const zero = opts.zeros && i % 2 === 0;
    const values = submitted ? (zero ? { tt_so_buoi: 0, tt_luot_nguoi: 0, hg_tiep_nhan: 0, qvnn_van_dong: 0, qvnn_chi: 0 } : figures(i)) : undefined;
    return { name, status, values, previous: opts.previous ? figures(i + 3, 0.85) : undefined };
  });
  const sum = (key: string, pick: (r: ChartRow) => Record<string, number> | undefined) => rows.reduce((a, r) => a + (pick(r)?.[key] ?? 0), 0);
  const keys = ["tt_so_buoi", "tt_luot_nguoi", "hg_tiep_nhan", "hg_thanh", "qvnn_van_dong", "qvnn_chi"];
  const total = (pick: (r: ChartRow) => Record<string, number> | undefined) => {
    const t: Record<string, number> = Object.fromEntries(keys.map((k) => [k, sum(k, pick)]));
    if (t.hg_tiep_nhan! > 0) t.hg_ty_le_thanh = (100 * t.hg_thanh!) / t.hg_tiep_nhan!;
    return t;
  };
  const submitted = rows.filter((r) => r.values).length;
  return {
    ...frame(),
    unitName: "Xã Tân Khai",
    periodLabel: "tháng 11/2026",
    previousLabel: opts.previous ? "tháng 10/2026" : undefined,
    rowLevel: "area",
    submitted,
    total: rows.length,
    totals: { values: submitted ? total((r) => r.values) : undefined, previous: opts.previous ? total((r) => r.previous) : undefined },
    rows,
    asOf: AS_OF,
  };
}

export const communeChart = (): ChartInput => commune(LONG_NAMES, { previous: true });
export const oneAreaChart = (): ChartInput => commune(["Ấp Bến Đò"], { previous: false });
export const thirtyAreasChart = (): ChartInput =>
  commune(Array.from({ length: 30 }, (_, i) => (i % 4 === 1 ? `${LONG_NAMES[i % LONG_NAMES.length]} ${i + 1}` : `Ấp số ${i + 1} Phước Hòa`)), { previous: true });
export const zerosChart = (): ChartInput => commune(LONG_NAMES.slice(0, 4), { zeros: true });

export function districtChart(): ChartInput {
  const names = ["Xã Tân Khai", "Xã Đồng Nơ", "Thị trấn Tân Khai Mới", "Xã Thanh Bình", "Xã Minh Đức", "Phường Hưng Long Đông Nam"];
  const rows: ChartRow[] = names.map((name, i) => {
    const total = 6 + i;
    const submitted = [total, total - 2, 0, total, 3, 1][i]!;
    return { name, status: { kind: "group", submitted, total }, values: submitted ? figures(i, 6) : undefined, previous: figures(i + 1, 5) };
  });
  return {
    ...frame(),
    unitName: "Huyện Hớn Quản",
    periodLabel: "tháng 11/2026",
    previousLabel: "tháng 10/2026",
    rowLevel: "commune",
    submitted: rows.reduce((a, r) => a + (r.status.kind === "group" ? r.status.submitted : 0), 0),
    total: rows.reduce((a, r) => a + (r.status.kind === "group" ? r.status.total : 0), 0),
    totals: { values: figures(2, 30), previous: figures(3, 26) },
    rows,
    asOf: AS_OF,
  };
}

/** A province of 75 communes: more rows than one picture holds. */
export function provinceChart(): ChartInput {
  const rows: ChartRow[] = Array.from({ length: 75 }, (_, i) => {
    const total = 5 + (i % 9);
    const submitted = (i * 7) % (total + 1);
    return { name: `Xã ${["Tân", "Phước", "Bình", "An", "Long"][i % 5]} ${["Khai", "Lộc", "Hưng", "Thạnh", "Điền"][(i * 3) % 5]} ${i + 1}`, status: { kind: "group", submitted, total }, values: submitted ? figures(i, 5) : undefined };
  });
  return { ...districtChart(), unitName: "Tỉnh Đồng Nai", previousLabel: undefined, totals: { values: figures(1, 300) }, rows, submitted: 300, total: 675 };
}
