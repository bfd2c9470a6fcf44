// A period typed with a command: read, checked against the form and the window around the clock, and answered
// with the sentence that says what is accepted. The same check serves the chat commands and the CLI.
import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { checkTypedPeriod, type PeriodUse } from "../../src/core/conversation/period-arg.js";
import { periodLabel } from "../../src/core/periods.js";

const prompts = loadPrompts(DEFAULT_PROMPTS);
const form = prompts.forms[0]!;
// 10/11/2026: the monthly form collects tháng 11 (due 16/11).
const now = new Date("2026-11-10T09:00:00+07:00");
const check = (text: string, use: PeriodUse = "summary") => {
  const r = checkTypedPeriod(text, use, { now, form, messages: prompts.messages, current: { kind: "month", year: 2026, index: 11 }, command: "/tonghop" });
  return r.ok ? periodLabel(r.period) : r.message;
};

describe("checkTypedPeriod", () => {
  it("takes what staff type", () => {
    expect(check("T10/26")).toBe("tháng 10/2026");
    expect(check("quý này")).toBe("quý IV/2026");
    expect(check("6 tháng đầu năm nay")).toBe("6 tháng đầu năm 2026");
    expect(check("cùng kỳ năm ngoái")).toBe("tháng 11/2025");
    expect(check("tháng sau", "open")).toBe("tháng 12/2026");
  });

  it("lists the accepted forms, with examples, for what it cannot read", () => {
    const m = check("hôm qua");
    expect(m).toContain("Dạ, em chưa hiểu kỳ “hôm qua”.");
    for (const example of ["tháng 10/2026", "T10/26", "quý III", "Q3/26", "6 tháng đầu năm nay", "năm ngoái", "cùng kỳ năm ngoái"]) expect(m).toContain(example);
  });

  it("asks which is meant for 'thang sau' typed without marks", () => {
    expect(check("thang sau")).toBe("Dạ, “thang sau” là tháng 6/2026 hay tháng 12/2026 ạ? Anh/chị gõ rõ giúp em, ví dụ “tháng 6/2026”.");
  });

  it("keeps /moky to the form's kind and a two-year window; summaries to ten years", () => {
    expect(check("quý 3", "open")).toContain("báo cáo này theo tháng");
    expect(check("tháng 10/2024", "open")).toContain("từ tháng 11/2024 đến tháng 12/2026; tháng 10/2024 nằm ngoài khoảng này");
    expect(check("tháng 10/2024")).toBe("tháng 10/2024");
    expect(check("tháng 1/2027")).toContain("tháng 1/2027 nằm ngoài khoảng này");
    expect(check("năm 2016")).toBe("năm 2016");
    expect(check("năm 2015")).toContain("từ tháng 11/2016 đến tháng 12/2026");
  });
});
