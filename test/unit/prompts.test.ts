import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadPrompts, PromptError } from "../../src/config/load-prompts.js";
import { MESSAGE_KEYS } from "../../src/core/messages.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { MONTHLY_PROMPTS } from "../support/monthly-prompts.js";

const FORM_FILE = join("forms", "mttq-dinh-ky.yaml");
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of the real prompts/ (the monthly form alone, unless `all`) in a temp dir, with one file changed. */
function brokenCopy(file: string, change: (text: string) => string, all = false): string {
  const dir = mkdtempSync(join(tmpdir(), "prompts-test-"));
  dirs.push(dir);
  cpSync(all ? DEFAULT_PROMPTS : MONTHLY_PROMPTS, dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, change(readFileSync(path, "utf8")));
  return dir;
}

/** Changes the parsed YAML and writes it back. */
function editYaml(edit: (doc: any) => void): (text: string) => string {
  return (text) => {
    const doc = parse(text);
    edit(doc);
    return stringify(doc);
  };
}

function loadError(dir: string): PromptError {
  try {
    loadPrompts(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(PromptError);
    return err as PromptError;
  }
  throw new Error("loadPrompts accepted broken prompts");
}

describe("loadPrompts on the real prompts", () => {
  const prompts = loadPrompts(DEFAULT_PROMPTS);

  it("loads the periodic form with its sections", () => {
    expect(prompts.forms.map((f) => f.id)).toEqual(["mttq_dinh_ky", "phap_luat_6_thang", "phap_luat_nam", "tiep_xuc_cu_tri", "vi_nguoi_ngheo"]);
    const form = prompts.forms[0]!;
    expect(form.sections.map((s) => s.id)).toEqual([
      "tuyen_truyen",
      "hoa_giai",
      "tiep_xuc_cu_tri",
      "quy_vi_nguoi_ngheo",
      "cuoc_van_dong",
      "giam_sat",
      "kho_khan_de_xuat",
    ]);
    expect(form.period).toEqual({ kind: "month", cutoff: "nd09", deadline: { day: 16, month_offset: 0 } });
  });

  it("fills schema defaults", () => {
    const form = prompts.forms[0]!;
    const money = form.sections[3]!.fields[0]!;
    expect(money.kind === "money" && money.unit).toBe("đồng");
    const text = form.sections[6]!.fields[0]!;
    expect(text.kind === "text" && text.max_length).toBe(2000);
    expect(form.sections[2]!.fields[0]!.keywords).toEqual([]);
  });

  it("has every message key and the report frame", () => {
    for (const key of MESSAGE_KEYS) expect(prompts.messages[key], key).toBeTruthy();
    expect(prompts.report.area.title).toBe("BÁO CÁO");
    expect(prompts.report.compare.up).toContain("{diff}");
  });

  it("loads a copy unchanged", () => {
    const dir = brokenCopy(FORM_FILE, (t) => t, true);
    expect(loadPrompts(dir)).toEqual(prompts);
  });
});

describe("loadPrompts on broken prompts", () => {
  it("names the file and the key of a missing message", () => {
    const dir = brokenCopy("messages.yaml", editYaml((doc) => delete doc.bad_yesno));
    const e = loadError(dir);
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatch(/messages\.yaml: bad_yesno: /);
    expect(e.message).toContain("messages.yaml: bad_yesno");
  });

  it("refuses an unknown message key", () => {
    const dir = brokenCopy("messages.yaml", (t) => `${t}\nnot_a_message: xin chào\n`);
    expect(loadError(dir).problems.some((p) => p.includes("messages.yaml") && p.includes("not_a_message"))).toBe(true);
  });

  it("names the field path of an unknown field kind", () => {
    const dir = brokenCopy(FORM_FILE, editYaml((doc) => (doc.sections[1].fields[2].kind = "number")));
    const e = loadError(dir);
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toContain("forms/mttq-dinh-ky.yaml: sections[1].fields[2].kind");
  });

  it("names a `together` entry that belongs to another section", () => {
    const dir = brokenCopy(FORM_FILE, editYaml((doc) => doc.sections[0].together.push("hg_thanh")));
    const e = loadError(dir);
    expect(e.problems).toEqual([
      expect.stringMatching(/forms\/mttq-dinh-ky\.yaml: sections\[0\]\.together\[2\]: .*hg_thanh.*không thuộc phần này/),
    ]);
  });

  it("names a `when` that looks at a later field", () => {
    const dir = brokenCopy(
      FORM_FILE,
      editYaml((doc) => (doc.sections[0].fields[0].when = { field: "hg_tiep_nhan", gt: 0 })),
    );
    const e = loadError(dir);
    expect(e.problems).toEqual([
      expect.stringMatching(/forms\/mttq-dinh-ky\.yaml: sections\[0\]\.fields\[0\]\.when\.field: .*hg_tiep_nhan/),
    ]);
  });

  it("names a section `when` that looks at a field of its own section", () => {
    const dir = brokenCopy(FORM_FILE, editYaml((doc) => (doc.sections[2].when = { field: "txct_co", equals: true })));
    expect(loadError(dir).problems).toEqual([
      expect.stringMatching(/forms\/mttq-dinh-ky\.yaml: sections\[2\]\.when\.field: .*txct_co/),
    ]);
  });

  it("names a report template placeholder that matches no field", () => {
    const dir = brokenCopy(
      FORM_FILE,
      editYaml((doc) => (doc.sections[1].report.sentences[0].text += " Còn {hg_dang_xu_ly} vụ.")),
    );
    expect(loadError(dir).problems).toEqual([
      expect.stringMatching(
        /forms\/mttq-dinh-ky\.yaml: sections\[1\]\.report\.sentences\[0\]\.text: .*\{hg_dang_xu_ly\}/,
      ),
    ]);
  });

  it("names a rule message placeholder that matches no field", () => {
    const dir = brokenCopy(FORM_FILE, editYaml((doc) => (doc.sections[5].rules[0].message = "Sai: {gs_don}.")));
    expect(loadError(dir).problems).toEqual([
      expect.stringMatching(/forms\/mttq-dinh-ky\.yaml: sections\[5\]\.rules\[0\]\.message: .*\{gs_don\}/),
    ]);
  });

  it("reports every problem of a file at once", () => {
    const dir = brokenCopy(
      FORM_FILE,
      editYaml((doc) => {
        doc.sections[0].together.push("hg_thanh");
        doc.sections[2].report.sentences[0].text += " {khong_co}";
      }),
    );
    const problems = loadError(dir).problems;
    expect(problems).toHaveLength(2);
    expect(problems.join("\n")).toContain("sections[0].together[2]");
    expect(problems.join("\n")).toContain("sections[2].report.sentences[0].text");
  });

  it("names the file of invalid YAML", () => {
    const dir = brokenCopy(FORM_FILE, (t) => t.replace("id: mttq_dinh_ky", "id: [mttq_dinh_ky"));
    const e = loadError(dir);
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatch(/forms\/mttq-dinh-ky\.yaml: không đọc được YAML/);
  });

  it("names the file of invalid YAML in report.yaml", () => {
    const dir = brokenCopy("report.yaml", (t) => `${t}\n  : : bad\n\t- x`);
    const e = loadError(dir);
    expect(e.problems.some((p) => /report\.yaml: không đọc được YAML/.test(p))).toBe(true);
  });

  it("refuses a free-text part that is not a text field", () => {
    const dir = brokenCopy(FORM_FILE, editYaml((doc) => (doc.proposals_field = "tt_so_buoi")));
    expect(loadError(dir).problems).toEqual([expect.stringMatching(/mttq-dinh-ky\.yaml: proposals_field: .*tt_so_buoi/)]);
  });

  it("refuses a duplicate field id", () => {
    const dir = brokenCopy(FORM_FILE, editYaml((doc) => (doc.sections[1].fields[2].id = "hg_thanh")));
    expect(loadError(dir).problems.join("\n")).toMatch(/sections\[1\]\.fields\[2\]\.id: .*hg_thanh/);
  });
});
