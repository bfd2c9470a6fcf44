import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { summarize } from "../../src/core/aggregate/summary.js";
import { buildExport, localDateTime } from "../../src/core/export/build-export.js";
import type { Unit } from "../../src/core/types.js";
import { COMPLETE_FORM } from "../support/form-values.js";

const prompts = loadPrompts(DEFAULT_PROMPTS);
const form = prompts.forms[0]!;
const commune: Unit = { code: "25747", name: "Xã Tân Khai", level: "commune", parentCode: "75" };
const area: Unit = { code: "25747-01", name: "Ấp Bến Đò", level: "area", parentCode: "25747" };

describe("the export", () => {
  it("times the audit trail in Vietnam's local time, not UTC", () => {
    // 17:30 UTC on 10/11 is 00:30 on 11/11 in Vietnam.
    expect(localDateTime("2026-11-10T17:30:00.000Z")).toBe("11/11/2026 00:30");
    expect(localDateTime("2026-11-10T02:05:00.000Z")).toBe("10/11/2026 09:05");
    const summary = summarize({
      form,
      root: commune,
      period: { kind: "quarter", year: 2026, index: 4 },
      areas: [{ unit: area, group: area }],
      answers: (_u, k) => (k === "2026-M10" ? COMPLETE_FORM : undefined),
      submission: (_u, k) => (k === "2026-M10" ? { status: "completed", version: 1 } : undefined),
      review: () => undefined,
      targets: {},
    })!;
    const history = [{ at: "2026-11-10T17:30:00.000Z", unit: area.code, period: "tháng 10/2026", field: "tt_so_buoi", old: 12, new: 13, byName: "Tư", source: "edit" }];
    const [figures, audit] = buildExport(summary, history, prompts.report, prompts.messages);
    expect(audit!.rows[0]![0]).toBe("11/11/2026 00:30");
    // A quarter's completeness, month by month, as /tonghop states it.
    expect(figures!.rows.at(-1)![2]).toBe("tháng 10/2026 1/1; tháng 11/2026 0/1; tháng 12/2026 0/1");
  });
});
