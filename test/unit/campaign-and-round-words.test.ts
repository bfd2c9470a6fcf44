// A campaign form in process (offered from its first day until its deadline, named by its year), and the pure
// helpers of rounds: the words after /moky, naming a round, and stored keys back to periods.
import { afterEach, describe, expect, it } from "vitest";
import { periodOfKey } from "../../src/core/period-of-key.js";
import { periodLabel } from "../../src/core/periods.js";
import { findRound, previousRound, readRoundWords, type Round } from "../../src/core/rounds.js";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { GROUP, Harness, type Sent } from "../support/harness.js";
import { CAMPAIGN_FORM, ROUND_FORM } from "../support/period-forms.js";
import { promptsWith } from "../support/test-forms.js";

const tu = { id: "101", name: "Tư" };
const minh = { id: "103", name: "Minh" };
const CAMPAIGN = "Tháng cao điểm “Vì người nghèo” năm 2026 (17/10–18/11)";
const PROMPTS = promptsWith({ "vnn.yaml": CAMPAIGN_FORM, "txct-dot.yaml": ROUND_FORM });

let h: Harness | undefined;
afterEach(() => h?.close());
const only = (sent: Sent[]) => sent.filter((s) => s.text).at(-1)!;

function setup(now: string): Harness {
  h = new Harness(now, ":memory:", undefined, PROMPTS);
  h.link(GROUP, "25747");
  h.grant(minh, "commune_staff", "25747");
  h.grant(tu, "reporter", "25747-01");
  return h;
}

describe("a campaign form", () => {
  it("is not offered before its first day", async () => {
    setup("2026-10-10T09:00:00+07:00");
    expect(only(await h!.say(tu, "/baocao vnn")).text).toBe(`Dạ, Tháng cao điểm Vì người nghèo ${CAMPAIGN} chưa đến lúc nhập; em mở từ ngày 17/10. Anh/chị quay lại giúp em nhé.`);
  });

  it("is collected from its first day until its deadline, and summed up by year", async () => {
    setup("2026-11-20T09:00:00+07:00");
    expect(only(await h!.say(tu, "/baocao vnn")).text).toContain(`nhập báo cáo ${CAMPAIGN} (Tháng cao điểm Vì người nghèo) của Ấp Bến Đò (hạn 23/11)`);
    await h!.say(tu, "3 điểm, 120 cử tri, 4 kiến nghị");
    expect(h!.answers("25747-01", "2026-C")).toEqual({ q_diem: 3, q_cu_tri: 120, q_kien_nghi: 4 });
    expect(only(await h!.say(minh, "/tonghop vnn")).text).toContain(`Tổng hợp ${CAMPAIGN} (Tháng cao điểm Vì người nghèo) — Xã Tân Khai`);
    expect(only(await h!.say(minh, "/tonghop vnn năm 2026")).text).toContain("Tổng hợp năm 2026 (Tháng cao điểm Vì người nghèo)");
    expect(only(await h!.say(minh, "/tonghop vnn kỳ trước")).text).toContain("Tổng hợp Tháng cao điểm “Vì người nghèo” năm 2025 (17/10–18/11)");
    expect(only(await h!.say(minh, "/moky vnn năm 2025")).text).toContain("Đã mở kỳ báo cáo Tháng cao điểm “Vì người nghèo” năm 2025 (17/10–18/11)");
  });
});

describe("the words after /moky for a round", () => {
  const today = "2026-12-01";
  it("splits the name from its dates", () => {
    expect(readRoundWords("Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã từ 01/12 đến 10/12", today)).toEqual({ ok: true, name: "Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã", start: "2026-12-01", end: "2026-12-10" });
    expect(readRoundWords("Sau kỳ họp tu 20/12 den 05/01", today)).toEqual({ ok: true, name: "Sau kỳ họp", start: "2026-12-20", end: "2027-01-05" });
    expect(readRoundWords("Cứu trợ bão số 9 01/12/2026 - 15/12/2026", today)).toEqual({ ok: true, name: "Cứu trợ bão số 9", start: "2026-12-01", end: "2026-12-15" });
    expect(readRoundWords("Cứu trợ bão số 9 đến 15/12", today)).toEqual({ ok: true, name: "Cứu trợ bão số 9", end: "2026-12-15" });
    expect(readRoundWords("Đợt một", today)).toEqual({ ok: true, name: "Đợt một" });
  });
  it("refuses dates it cannot read rather than keeping them in the name", () => {
    expect(readRoundWords("Đợt hai từ 31/11 đến 10/12", today)).toEqual({ ok: false, reason: "dates" });
    expect(readRoundWords("Đợt hai từ 10/12/2026 đến 01/12/2026", today)).toEqual({ ok: false, reason: "dates" });
    expect(readRoundWords("Đợt hai 10/12", today)).toEqual({ ok: false, reason: "dates" });
  });
});

describe("naming a round", () => {
  const r = (id: number, name: string, start: string, unit = "25747"): Round => ({ id, form: "txct_dot", unit, name, start, end: start, openedBy: "telegram:1", openedAt: "" });
  const rounds = [r(7, "Tiếp xúc cử tri sau kỳ họp thứ 5", "2026-12-15"), r(3, "Tiếp xúc cử tri trước kỳ họp thứ 5", "2026-12-01"), r(2, "Tiếp xúc cử tri sau kỳ họp thứ 4", "2026-06-01")];
  it("by number, by words of its name, or as this round and the one before", () => {
    expect(findRound(rounds, "R3")?.id).toBe(3);
    expect(findRound(rounds, "đợt 7")?.id).toBe(7);
    expect(findRound(rounds, "truoc ky hop thu 5")?.id).toBe(3);
    expect(findRound(rounds, "kỳ họp thứ 4")?.id).toBe(2);
    expect(findRound(rounds, "kỳ họp thứ 5")).toBeUndefined(); // two fit: the person says which
    expect(findRound(rounds, "đợt này", rounds[0])?.id).toBe(7);
    expect(findRound(rounds, "đợt trước", rounds[0])?.id).toBe(3);
    expect(previousRound(rounds, rounds[2]!)).toBeUndefined();
    expect(previousRound([...rounds, r(9, "Khác", "2026-12-10", "25748")], rounds[0]!)?.id).toBe(3);
  });
  it("stored keys come back through the form", () => {
    const prompts = loadPrompts(PROMPTS);
    const round = prompts.forms.find((f) => f.id === "txct_dot")!;
    const campaign = prompts.forms.find((f) => f.id === "vnn_cao_diem")!;
    const world = { round: (id: number) => rounds.find((x) => x.id === id), rounds: () => rounds };
    expect(periodLabel(periodOfKey(world, round, "R7")!)).toBe("Tiếp xúc cử tri sau kỳ họp thứ 5 (15/12–15/12)");
    expect(periodOfKey(world, round, "R7")!.round!.previous?.index).toBe(3);
    expect(periodOfKey(world, round, "R8")).toBeUndefined();
    expect(periodOfKey(world, campaign, "R7")).toBeUndefined();
    expect(periodLabel(periodOfKey(world, campaign, "2025-C")!)).toBe("Tháng cao điểm “Vì người nghèo” năm 2025 (17/10–18/11)");
    expect(periodOfKey(world, round, "2026-M11")).toEqual({ kind: "month", year: 2026, index: 11 });
  });
});
