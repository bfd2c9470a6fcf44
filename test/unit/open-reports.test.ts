// Which report kinds are open for a unit, and for which period: who fills a form, what staff oversee, the
// period staff opened or the clock's, and the collection window before a deadline.
import { afterEach, describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { effectApplier } from "../../src/store/apply-effects.js";
import { SqlWorld } from "../../src/store/sql-world.js";
import { collectedPeriod, formsFilledBy, formsOverseenBy, isOffered, openFormsFor, openFormsOver } from "../../src/core/open-reports.js";
import { clockPeriod, deadlineSpec, offeredFrom } from "../../src/core/forms/form-periods.js";
import { openPeriod, periodKey } from "../../src/core/periods.js";
import type { Unit } from "../../src/core/types.js";
import { Harness } from "../support/harness.js";
import { promptsWith, QUARTERLY_FORM } from "../support/test-forms.js";

/** The quarterly form again, as one communes fill themselves. */
const COMMUNE_FORM = QUARTERLY_FORM.replace("id: txct_quy", "id: xa_quy")
  .replace("short: txct", "short: xaquy")
  .replace("name: Tiếp xúc cử tri", "name: Báo cáo quý của xã\napplies_to: [commune]")
  .replace(/files:\n(.*\n){3}/, "files:\n    area: \"Báo cáo quý của xã {period} - {unit}.docx\"\n    summary: \"Tổng hợp quý của xã {period} - {unit}.docx\"\n    export: \"Số liệu quý của xã {period} - {unit}.xlsx\"\n");
const dir = promptsWith({ "txct-quy.yaml": QUARTERLY_FORM, "xa-quy.yaml": COMMUNE_FORM });
const forms = loadPrompts(dir).forms;
const byId = (id: string) => forms.find((f) => f.id === id)!;
const [thang, txct, xa] = [byId("mttq_dinh_ky"), byId("txct_quy"), byId("xa_quy")];

let h: Harness | undefined;
afterEach(() => h?.close());

function setup(now: string) {
  h = new Harness(now, ":memory:", undefined, dir);
  const world = new SqlWorld(h.core.db);
  const unit = (code: string) => world.unit(code)!;
  const at = (iso: string) => ({ world, forms, now: new Date(iso) });
  return { world, unit, at, c: at(now) };
}

describe("who fills and who oversees a report kind", () => {
  it("areas fill the areas' forms, communes their own; staff of a commune and above oversee both", () => {
    const { unit } = setup("2026-11-10T09:00:00+07:00");
    expect(formsFilledBy(forms, unit("25747-01"))).toEqual([thang, txct]);
    expect(formsFilledBy(forms, unit("25747"))).toEqual([xa]);
    expect(formsOverseenBy(forms, unit("25747"))).toEqual([thang, txct, xa]);
    const district = unit(unit("25747").parentCode!);
    expect(formsOverseenBy(forms, district)).toEqual([thang, txct, xa]);
    expect(formsOverseenBy(forms, unit("25747-01"))).toEqual([]);
  });
});

describe("the period being collected", () => {
  it("is the clock's for each kind, or the one the commune's staff opened, for its areas and itself", () => {
    const { c, unit } = setup("2026-11-10T09:00:00+07:00");
    expect(periodKey(collectedPeriod(c, thang, "25747-01"))).toBe("2026-M11");
    expect(periodKey(collectedPeriod(c, txct, "25747-01"))).toBe("2026-Q4");
    effectApplier(h!.core.db, h!.core.prompts.forms)([{ type: "open_period", unit: "25747", form: thang.id, period: "2026-M10", by: { platform: "telegram", userId: "1", name: "Minh" } }], new Date());
    expect(periodKey(collectedPeriod(c, thang, "25747-01"))).toBe("2026-M10");
    expect(periodKey(collectedPeriod(c, thang, "25747"))).toBe("2026-M10");
    // Another commune and another kind keep the clock's.
    const other = unit("25747").parentCode!;
    expect(periodKey(collectedPeriod(c, thang, other))).toBe("2026-M11");
    expect(periodKey(collectedPeriod(c, txct, "25747-01"))).toBe("2026-Q4");
  });
});

describe("the collection window", () => {
  it("offers quý IV from 45 days before 14/12 until the deadline, then waits for the next window", () => {
    const { at } = setup("2026-10-20T09:00:00+07:00");
    expect(offeredFrom(txct, { kind: "quarter", year: 2026, index: 4 })).toBe("2026-10-30");
    expect(isOffered(at("2026-10-29T23:59:00+07:00"), txct, "25747-01")).toBe(false);
    expect(isOffered(at("2026-10-30T00:00:00+07:00"), txct, "25747-01")).toBe(true);
    expect(isOffered(at("2026-12-14T20:00:00+07:00"), txct, "25747-01")).toBe(true);
    // After the deadline the clock moves to quý I/2027, offered from 28/01/2027.
    expect(periodKey(collectedPeriod(at("2026-12-15T08:00:00+07:00"), txct, "25747-01"))).toBe("2027-Q1");
    expect(isOffered(at("2026-12-15T08:00:00+07:00"), txct, "25747-01")).toBe(false);
    // A form without a window is always offered.
    expect(isOffered(at("2026-10-01T08:00:00+07:00"), thang, "25747-01")).toBe(true);
  });

  it("offers a period the staff opened by hand, window or not", () => {
    const { at } = setup("2026-10-20T09:00:00+07:00");
    effectApplier(h!.core.db, h!.core.prompts.forms)([{ type: "open_period", unit: "25747", form: txct.id, period: "2026-Q3", by: { platform: "telegram", userId: "1", name: "Minh" } }], new Date());
    expect(isOffered(at("2026-10-20T09:00:00+07:00"), txct, "25747-01")).toBe(true);
  });
});

describe("open reports", () => {
  it("lists each kind a unit is asked to fill now, with its period and due date", () => {
    const { at, unit } = setup("2026-10-20T09:00:00+07:00");
    const area: Unit = unit("25747-01");
    const open = (iso: string) => openFormsFor(at(iso), area).map((o) => [o.form.id, periodKey(o.period), o.due]);
    // On 20/10 tháng 10 is past its deadline (16/10): the clock collects tháng 11; quý IV opens on 30/10.
    expect(open("2026-10-20T09:00:00+07:00")).toEqual([["mttq_dinh_ky", "2026-M11", "2026-11-16"]]);
    expect(open("2026-11-10T09:00:00+07:00")).toEqual([
      ["mttq_dinh_ky", "2026-M11", "2026-11-16"],
      ["txct_quy", "2026-Q4", "2026-12-14"],
    ]);
    expect(openFormsFor(at("2026-11-10T09:00:00+07:00"), unit("25747")).map((o) => o.form.id)).toEqual(["xa_quy"]);
    expect(openFormsOver(at("2026-11-10T09:00:00+07:00"), unit("25747")).map((o) => o.form.id)).toEqual(["mttq_dinh_ky", "txct_quy", "xa_quy"]);
    expect(openFormsOver(at("2026-10-20T09:00:00+07:00"), unit("25747")).map((o) => o.form.id)).toEqual(["mttq_dinh_ky"]);
  });
});

describe("the clock's period, worked out once a day", () => {
  it("follows the clock back and forth, and a reloaded form is read afresh", () => {
    const days = ["2026-11-10T09:00:00+07:00", "2026-12-20T09:00:00+07:00", "2027-01-10T09:00:00+07:00", "2026-11-10T23:59:00+07:00", "2027-03-01T00:01:00+07:00", "2026-11-10T09:00:00+07:00"];
    const read = (f: typeof thang, iso: string) => periodKey(clockPeriod(f, new Date(iso)));
    // What openPeriod says for each day, worked out without any kept result.
    const expected = days.map((iso) => periodKey(openPeriod(thang.period.kind, deadlineSpec(thang), new Date(iso))));
    expect(days.map((iso) => read(thang, iso))).toEqual(expected);
    expect(new Set(expected).size).toBeGreaterThan(2);
    // The same form with another deadline, loaded anew: its own periods, not the first form's.
    const later = { ...thang, period: { ...thang.period, deadline: { day: 28, month_offset: 1 } } } as typeof thang;
    expect(read(later, "2026-12-20T09:00:00+07:00")).toBe(periodKey(openPeriod("month", { day: 28, monthOffset: 1 }, new Date("2026-12-20T09:00:00+07:00"))));
    expect(read(later, "2026-12-20T09:00:00+07:00")).not.toBe(read(thang, "2026-12-20T09:00:00+07:00"));
  });
});
