// The benchmark's trees and figures: shaped as the bench's documentation says, and every generated month a
// report the bot itself could have stored (skip logic kept, parts never above their whole).
import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { fieldApplies } from "../../src/core/forms/steps.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { AnswerGenerator } from "../../scripts/bench/answers.js";
import { buildTree, PROVINCES_2025 } from "../../scripts/bench/trees.js";
import { mulberry32 } from "../support/seeded-random.js";

describe("bench trees", () => {
  it("the country: 34 provinces, their 3,321 communes, about 100,000 areas, no districts", () => {
    const t = buildTree("country", "full");
    expect(t.provinces).toHaveLength(34);
    expect(t.communes).toHaveLength(3_321);
    expect(PROVINCES_2025.reduce((n, [, c]) => n + c, 0)).toBe(3_321);
    expect(t.areas.length).toBeGreaterThan(95_000);
    expect(t.areas.length).toBeLessThan(105_000);
    expect(t.districts).toHaveLength(0);
  });

  it("a province of about 100 communes and 3,000 areas; three tiers of 10 × 10 × 30", () => {
    const p = buildTree("province", "full");
    expect(p.communes).toHaveLength(100);
    expect(Math.abs(p.areas.length - 3_000)).toBeLessThan(200);
    const t = buildTree("three-tier", "full");
    expect([t.districts.length, t.communes.length, t.areas.length]).toEqual([10, 100, 3_000]);
  });

  it("codes sort in tree order, every parent exists at the level above, and the same tree comes every time", () => {
    for (const name of ["province", "country", "three-tier"] as const) {
      const t = buildTree(name, "quick");
      const byCode = new Map(t.units.map((u) => [u.code, u]));
      expect(t.units.map((u) => u.code)).toEqual([...t.units.map((u) => u.code)].sort());
      for (const u of t.units) {
        if (u === t.root) continue;
        const parent = byCode.get(u.parentCode!)!;
        expect(u.code.startsWith(parent.code)).toBe(true);
        const allowed = { area: ["commune"], commune: ["province", "district"], district: ["province"], province: ["province"] }[u.level];
        expect(allowed).toContain(parent.level);
      }
      expect(buildTree(name, "quick")).toEqual(t);
    }
  });
});

describe("bench answers", () => {
  const form = loadPrompts(DEFAULT_PROMPTS).forms.find((f) => f.id === "mttq_dinh_ky")!;
  const generate = new AnswerGenerator(form);
  const random = mulberry32(7);
  const months = Array.from({ length: 2_000 }, () => generate.month(0.5 + random() * 1.5, random));

  it("answers every field that applies and none that does not", () => {
    for (const values of months) {
      for (const section of form.sections) {
        for (const field of section.fields) expect(field.id in values, field.id).toBe(fieldApplies(section, field, values));
      }
    }
    // Over many months every field gets a real figure somewhere.
    for (const f of form.sections.flatMap((s) => s.fields)) expect(months.some((v) => v[f.id] !== null && v[f.id] !== undefined), f.id).toBe(true);
  });

  it("keeps every hard rule and stays inside the plausible bounds", () => {
    const fields = form.sections.flatMap((s) => s.fields);
    for (const values of months) {
      for (const rule of form.sections.flatMap((s) => s.rules)) {
        if (rule.type !== "not_greater" || typeof values[rule.right] !== "number") continue;
        const sum = rule.left.reduce((n, id) => n + (typeof values[id] === "number" ? (values[id] as number) : 0), 0);
        expect(sum).toBeLessThanOrEqual(values[rule.right] as number);
      }
      for (const f of fields) {
        const v = values[f.id];
        if (typeof v === "number" && "plausible" in f && f.plausible?.max !== undefined) expect(v).toBeLessThanOrEqual(f.plausible.max);
      }
    }
  });
});
