// The report kind named in a command's words.
import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { readKind } from "../../src/core/conversation/kind-arg.js";
import { promptsWith, QUARTERLY_FORM } from "../support/test-forms.js";

const forms = loadPrompts(promptsWith({ "txct-quy.yaml": QUARTERLY_FORM })).forms;
const [thang, txct] = forms as [(typeof forms)[0], (typeof forms)[0]];

describe("readKind", () => {
  it("takes a short name as the first word, in any case, and keeps the rest as typed", () => {
    expect(readKind(forms, forms, "txct quý 4/2026")).toEqual({ form: txct, rest: "quý 4/2026" });
    expect(readKind(forms, forms, "  THANG   10/2026 ")).toEqual({ form: thang, rest: "10/2026" });
    expect(readKind(forms, forms, "txct")).toEqual({ form: txct, rest: "" });
  });

  it("never takes a word with diacritics for a short name", () => {
    expect(readKind(forms, forms, "tháng 10/2026")).toEqual({ rest: "tháng 10/2026" });
  });

  it("takes the last word only when asked (a leader's /baocao ben do txct)", () => {
    expect(readKind(forms, forms, "ben do txct", { last: true })).toEqual({ form: txct, rest: "ben do" });
    expect(readKind(forms, forms, "ben do txct")).toEqual({ rest: "ben do txct" });
  });

  it("reads a leading number as the kind's place in the list, only when allowed and several are listed", () => {
    expect(readKind(forms, forms, "2 quý 3", { numbers: true })).toEqual({ form: txct, rest: "quý 3" });
    expect(readKind(forms, forms, "1", { numbers: true })).toEqual({ form: thang, rest: "" });
    expect(readKind(forms, forms, "3 quý 3", { numbers: true })).toEqual({ rest: "3 quý 3" });
    expect(readKind(forms, forms, "2 quý 3")).toEqual({ rest: "2 quý 3" });
    expect(readKind(forms, [thang], "1", { numbers: true })).toEqual({ rest: "1" });
    expect(readKind(forms, forms, "2026", { numbers: true })).toEqual({ rest: "2026" });
  });

  it("reads nothing from nothing", () => {
    expect(readKind(forms, forms, "   ")).toEqual({ rest: "" });
  });
});
