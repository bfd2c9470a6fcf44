// One character must not break a draft. Area drafts, commune drafts and the .xlsx export are rendered from
// answers (and unit names, and audit entries) of random Unicode — controls, U+FFFE/U+FFFF, lone surrogates,
// astral characters, combining marks, XML's own specials — and every XML part of every file is parsed with a
// strict XML 1.0 parser (saxes), which refuses any character XML forbids. The PRNG is seeded, so a failure
// names the case and the same seed reproduces it. Then the same through the bot: a leader's answer with
// U+FFFE in it, and the drafts the group receives.
import JSZip from "jszip";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { buildAreaReport } from "../../src/core/report/build-area-report.js";
import { buildSummaryReport } from "../../src/core/report/build-summary-report.js";
import { renderDocx } from "../../src/core/report/render-docx.js";
import { summarize, type SummaryData } from "../../src/core/aggregate/summary.js";
import { buildExport, type HistoryRow } from "../../src/core/export/build-export.js";
import { writeXlsx } from "../../src/core/export/xlsx.js";
import type { AnswerMap, Unit } from "../../src/core/types.js";
import { COMPLETE_FORM } from "../support/form-values.js";
import { mulberry32 } from "../support/seeded-random.js";
import { FULL_FORM_ANSWERS, GROUP, Harness } from "../support/harness.js";

const SEED = 20261210;
const CASES = 25;

const prompts = loadPrompts(DEFAULT_PROMPTS);
const form = prompts.forms.find((f) => f.id === "mttq_dinh_ky")!;
const textFields = form.sections.flatMap((s) => s.fields).filter((f) => f.kind === "text").map((f) => f.id);

type Rnd = () => number;
const pick = <T>(r: Rnd, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

// Every kind of code point, the forbidden ones weighted up so most strings carry at least one.
const FORBIDDEN = ["\u0000", "\u0001", "\u0008", "\u000b", "\u000c", "\u000e", "\u001f", "\ufffe", "\uffff", "\ud800", "\udbff", "\udc00", "\udfff"];
const ODD = ["\t", "\n", "\r", "\r\n", "\u0085", "\u007f", "\u009f", "\u00a0", "\u200b", "\u2028", "\u2029", "\ufeff", "\ufdd0", "\u202e", "\u0301", "\u0323"];
const SPECIALS = ["<", ">", "&", '"', "'", "]]>", "<w:t>", "&amp;", "_x0041_", "{tt_so_buoi}", "%", "\\"];
const TEXT = [..."aăâđeêoôơuưAĂÂĐÊÔƠƯàáảãạềếểễệ Kinh phí hạn chế, 12 người.", "😀", "𠜎", "🇻🇳", "👨‍👩‍👧"];

function randomCodePoint(r: Rnd): string {
  const cp = r() < 0.5 ? Math.floor(r() * 0x10000) : Math.floor(r() * 0x110000);
  return String.fromCodePoint(cp); // may be a lone surrogate half: that is the point
}

function randomText(r: Rnd, max = 60): string {
  let s = "";
  const n = 1 + Math.floor(r() * max);
  for (let i = 0; i < n; i++) {
    const k = r();
    s += k < 0.2 ? pick(r, FORBIDDEN) : k < 0.35 ? pick(r, ODD) : k < 0.45 ? pick(r, SPECIALS) : k < 0.7 ? pick(r, TEXT) : randomCodePoint(r);
  }
  return s;
}

/** Every XML part of an Office file, parsed strictly; the problems found, by part. */
async function xmlProblems(bytes: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const problems: string[] = [];
  const parts = Object.values(zip.files).filter((f) => !f.dir && /\.(xml|rels)$/.test(f.name));
  expect(parts.length).toBeGreaterThan(3);
  for (const part of parts) {
    const xml = await part.async("string");
    const parser = new SaxesParser({ xmlns: true });
    let error: string | undefined;
    parser.on("error", (e) => {
      error ??= e.message;
    });
    try {
      parser.write(xml).close();
    } catch (e) {
      error ??= (e as Error).message;
    }
    if (error) problems.push(`${part.name}: ${error}`);
  }
  return problems;
}

function randomAnswers(r: Rnd): AnswerMap {
  const values: AnswerMap = { ...COMPLETE_FORM };
  for (const id of textFields) values[id] = randomText(r);
  return values;
}

function area(code: string, r: Rnd): Unit {
  return { code, name: `Ấp ${randomText(r, 12)}`, level: "area", parentCode: "25747" };
}

describe("drafts and exports are valid XML whatever was typed", () => {
  it(`area drafts, commune drafts and the .xlsx from ${CASES} sets of random Unicode answers (seed ${SEED})`, async () => {
    const r = mulberry32(SEED);
    const failures: string[] = [];
    for (let n = 0; n < CASES; n++) {
      const commune: Unit = { code: "25747", name: `Xã ${randomText(r, 10)}`, level: "commune", parentCode: "75" };
      const areas = [area("25747-01", r), area("25747-02", r), area("25747-03", r)];
      const answers = new Map(areas.map((a) => [a.code, randomAnswers(r)]));
      const now = new Date("2026-11-20T09:00:00+07:00");

      const areaDoc = buildAreaReport({
        form,
        texts: prompts.report,
        messages: prompts.messages,
        area: areas[0]!,
        commune,
        period: { kind: "month", year: 2026, index: 11 },
        values: answers.get(areas[0]!.code)!,
        previous: randomAnswers(r),
        signer: randomText(r, 20),
        now,
      });
      const data: SummaryData = {
        form,
        root: commune,
        period: { kind: "month", year: 2026, index: 11 },
        areas: areas.map((unit) => ({ unit, group: unit })),
        answers: (u, k) => (k === "2026-M11" ? answers.get(u) : undefined),
        submission: (u, k) => (k === "2026-M11" && u !== "25747-03" ? { status: "completed", version: 1, completedAt: "2026-11-12T02:00:00.000Z" } : undefined),
        review: () => undefined,
        targets: {},
      };
      const summary = summarize(data)!;
      const summaryDoc = buildSummaryReport({ summary, texts: prompts.report, messages: prompts.messages, now });
      const history: HistoryRow[] = Array.from({ length: 3 }, () => ({
        at: "2026-11-12T02:00:00.000Z",
        unit: pick(r, areas).code,
        period: "tháng 11/2026",
        field: pick(r, textFields),
        old: randomText(r),
        new: randomText(r),
        byName: randomText(r, 15),
        source: "edit",
      }));
      const files: Array<[string, Buffer]> = [
        ["area draft", await renderDocx(areaDoc)],
        ["commune draft", await renderDocx(summaryDoc)],
        ["export", await writeXlsx(buildExport(summary, history, prompts.report, prompts.messages), { title: randomText(r, 20) })],
      ];
      for (const [what, bytes] of files) {
        for (const p of await xmlProblems(bytes)) failures.push(`case ${n}, ${what}: ${p}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it("through the bot: a difficulty typed with U+FFFE and a control character still gives valid drafts", async () => {
    const h = new Harness();
    try {
      const tu = { id: "101", name: "Tư" };
      const minh = { id: "103", name: "Minh" };
      h.link(GROUP, "25747");
      h.grant(minh, "commune_staff", "25747");
      h.grant(tu, "reporter", "25747-01");
      await h.say(tu, "/baocao");
      let last = await h.say(tu, FULL_FORM_ANSWERS[0]!);
      const odd = "Thiếu kinh phí\uFFFE\u0007 hoạt động";
      for (const a of [...FULL_FORM_ANSWERS.slice(1, -2), odd, FULL_FORM_ANSWERS.at(-1)!]) last = await h.say(tu, a);
      // Stored as typed: cleaning is the renderers' job, in one place each.
      expect(String(h.answers("25747-01", "2026-M11").kk_kho_khan)).toContain("\uFFFE");
      const areaDraft = last.find((s) => s.file?.filename.endsWith(".docx"));
      expect(areaDraft, "the area draft is posted").toBeDefined();
      expect(await xmlProblems(areaDraft!.file!.bytes)).toEqual([]);
      const [total] = await h.say(minh, "/tonghop");
      expect(await xmlProblems(total!.file!.bytes)).toEqual([]);
      const [sheet] = await h.say(minh, "/xuat");
      expect(await xmlProblems(sheet!.file!.bytes)).toEqual([]);
    } finally {
      h.close();
    }
  });
});
