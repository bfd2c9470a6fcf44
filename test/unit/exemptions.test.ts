// Exempt units: staff excuse an area from a report with a reason. Completeness counts it as not expected,
// reminders pass it by, drafts name it with its reason, and an exempt area that submits anyway counts normally.
import { afterEach, describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { summarize, type SummaryData } from "../../src/core/aggregate/summary.js";
import { buildSummaryReport } from "../../src/core/report/build-summary-report.js";
import type { Exemption } from "../../src/core/exemption.js";
import type { Period } from "../../src/core/periods.js";
import type { AnswerMap, Unit } from "../../src/core/types.js";
import { COMPLETE_FORM } from "../support/form-values.js";
import { FULL_FORM_ANSWERS, GROUP, Harness } from "../support/harness.js";
import { docxText } from "../support/docx-text.js";
import { readXlsx } from "../support/read-xlsx.js";
import { HttpServer } from "../../src/app/http-server.js";
import { WebView, serveWebView } from "../../src/app/web/web-view.js";
import { SqlWorld } from "../../src/store/sql-world.js";
import { WebLinkStore } from "../../src/store/web-links.js";

const prompts = loadPrompts(DEFAULT_PROMPTS);
const form = prompts.forms.find((f) => f.id === "mttq_dinh_ky")!;
const commune: Unit = { code: "25747", name: "Xã Tân Khai", level: "commune", parentCode: "75" };
const province: Unit = { code: "75", name: "Tỉnh Đồng Nai", level: "province", parentCode: null };
const A: Unit = { code: "25747-01", name: "Ấp Bến Đò", level: "area", parentCode: "25747" };
const B: Unit = { code: "25747-02", name: "Ấp Cây Dầu", level: "area", parentCode: "25747" };
const C: Unit = { code: "25747-08", name: "Ấp Sóc Bế", level: "area", parentCode: "25747" };
const NOV: Period = { kind: "month", year: 2026, index: 11 };
const Q4: Period = { kind: "quarter", year: 2026, index: 4 };

const exemption = (unit: string, period: string, reason = "sáp nhập vào Ấp Bến Đò"): Exemption => ({
  unit,
  form: form.id,
  period,
  reason,
  byPerson: "telegram:103",
  by: "Minh",
  at: "2026-11-12T02:00:00.000Z",
});

function data(submitted: Record<string, string[]>, exempt: Exemption[], period: Period = NOV): SummaryData {
  const answers = (u: string, k: string): AnswerMap | undefined => (submitted[u]?.includes(k) ? { ...COMPLETE_FORM } : undefined);
  return {
    form,
    root: commune,
    period,
    areas: [A, B, C].map((unit) => ({ unit, group: unit })),
    answers,
    submission: (u, k) => (answers(u, k) ? { status: "completed", version: 1, completedAt: "2026-11-13T02:00:00.000Z" } : undefined),
    review: () => undefined,
    exemption: (u, k) => exempt.find((e) => e.unit === u && e.period === k),
    targets: {},
  };
}

describe("summary counts with exempt units", () => {
  it("leaves an exempt unit out of what is expected and out of the missing, and names why", () => {
    const s = summarize(data({ [A.code]: ["2026-M11"] }, [exemption(C.code, "2026-M11")]))!;
    expect(s.submitted.map((a) => a.unit.code)).toEqual([A.code]);
    expect(s.missing.map((a) => a.unit.code)).toEqual([B.code]);
    expect(s.exempt.map((a) => a.unit.code)).toEqual([C.code]);
    expect(s.expected).toBe(2);
    expect(s.members[0]).toMatchObject({ submitted: 1, total: 2, missing: [B], exempt: [C] });
    expect(s.columns.find((c) => c.unit.code === C.code)).toMatchObject({ submitted: 0, total: 0, exempt: 1 });
    expect(s.areas.find((a) => a.unit.code === C.code)!.state).toBe("exempt");
  });

  it("counts an exempt unit that submits anyway like any other", () => {
    const s = summarize(data({ [A.code]: ["2026-M11"], [C.code]: ["2026-M11"] }, [exemption(C.code, "2026-M11")]))!;
    expect(s.exempt).toEqual([]);
    expect(s.expected).toBe(3);
    expect(s.submitted.map((a) => a.unit.code)).toEqual([A.code, C.code]);
    expect(s.totals.values.tt_so_buoi).toBe(2 * (COMPLETE_FORM.tt_so_buoi as number));
  });

  it("in a quarter, a unit excused from one month is complete with the other two, and the month's count leaves it out", () => {
    const s = summarize(
      data({ [A.code]: ["2026-M10", "2026-M11", "2026-M12"], [C.code]: ["2026-M11", "2026-M12"] }, [exemption(C.code, "2026-M10", "trưởng ban ốm")], Q4),
    )!;
    const c = s.areas.find((a) => a.unit.code === C.code)!;
    expect(c.state).toBe("submitted");
    expect(c.complete).toBe(false); // not like with like for comparisons: one month is missing from its totals
    expect(s.members.map((m) => [m.submitted, m.total])).toEqual([[1, 2], [2, 3], [2, 3]]);
    expect(s.missing.map((a) => a.unit.code)).toEqual([B.code]);
  });

  it("the commune draft names the exempt area with its reason, and its appendix column says so", () => {
    const s = summarize(data({ [A.code]: ["2026-M11"], [B.code]: ["2026-M11"] }, [exemption(C.code, "2026-M11")]))!;
    const doc = buildSummaryReport({ summary: s, parent: province, texts: prompts.report, messages: prompts.messages, now: new Date("2026-11-20T09:00:00+07:00") });
    const intro = doc.intro.map((p) => p.map((r) => (typeof r === "string" ? r : r.text)).join("")).join("\n");
    expect(intro).toContain("có 2/2 khu dân cư đã nộp báo cáo.");
    expect(intro).toContain("Ấp Sóc Bế được miễn báo cáo kỳ này (lý do: sáp nhập vào Ấp Bến Đò).");
    const tables = JSON.stringify(doc);
    expect(tables).toContain("Ấp Sóc Bế\\n(được\u00a0miễn)");
  });
});

describe("a district's draft", () => {
  it("names each exempt area with its commune, and the commune's column counts only the expected areas", () => {
    const district: Unit = { code: "731", name: "Huyện Tân Phú", level: "district", parentCode: "75" };
    const other: Unit = { code: "25750", name: "Xã Tân Quan", level: "commune", parentCode: "731" };
    const D: Unit = { code: "25750-01", name: "Ấp Một", level: "area", parentCode: "25750" };
    const d: SummaryData = {
      ...data({ [A.code]: ["2026-M11"], [B.code]: ["2026-M11"], [D.code]: ["2026-M11"] }, [exemption(C.code, "2026-M11")]),
      root: district,
      areas: [...[A, B, C].map((unit) => ({ unit, group: commune })), { unit: D, group: other }],
    };
    d.answers = (u, k) => (k === "2026-M11" && [A.code, B.code, D.code].includes(u) ? { ...COMPLETE_FORM } : undefined);
    const s = summarize(d)!;
    expect(s.columns.map((c) => [c.unit.name, c.submitted, c.total, c.exempt])).toEqual([["Xã Tân Khai", 2, 2, 1], ["Xã Tân Quan", 1, 1, 0]]);
    const doc = buildSummaryReport({ summary: s, parent: province, texts: prompts.report, messages: prompts.messages, now: new Date("2026-11-20T09:00:00+07:00") });
    const intro = doc.intro.map((p) => p.map((r) => (typeof r === "string" ? r : r.text)).join("")).join("\n");
    expect(intro).toContain("có 3/3 khu dân cư đã nộp báo cáo. Ấp Sóc Bế (xã Tân Khai) được miễn báo cáo kỳ này (lý do: sáp nhập vào Ấp Bến Đò).");
  });
});

const tu = { id: "101", name: "Tư" };
const hanh = { id: "102", name: "Hạnh" };
const minh = { id: "103", name: "Minh" };
const be = { id: "108", name: "Bé" };

let h: Harness;
afterEach(() => h?.close());

async function setup(): Promise<Harness> {
  h = new Harness();
  h.link(GROUP, "25747");
  h.grant(minh, "commune_staff", "25747");
  h.grant(tu, "reporter", "25747-01");
  h.grant(hanh, "reporter", "25747-02");
  h.grant(be, "reporter", "25747-08");
  // Each person has written once, so the bot knows their names.
  for (const who of [tu, hanh, be]) await h.say(who, "/trogiup");
  return h;
}

async function fill(who: { id: string; name: string }, answers: string[]) {
  await h.say(who, "/baocao");
  for (const a of answers) await h.say(who, a);
}

function stored(): Array<{ unit_code: string; period_key: string; reason: string; by_name: string; lifted_at: string | null; lifted_by_name: string | null }> {
  return h.core.db.prepare("SELECT unit_code, period_key, reason, by_name, lifted_at, lifted_by_name FROM exemptions ORDER BY id").all() as never;
}

describe("/mien and /bomien", () => {
  it("only staff over the area may excuse it, and a reason is needed", async () => {
    await setup();
    expect((await h.say(tu, "/mien soc be sáp nhập"))[0]!.text).toContain("chỉ dành cho cán bộ");
    expect((await h.say(minh, "/mien soc be"))[0]!.text).toContain("ghi kèm lý do miễn");
    expect((await h.say(minh, "/mien ap khong co that"))[0]!.text).toContain("không tìm thấy khu dân cư");
    expect(stored()).toEqual([]);
  });

  it("excuses an area with its reason, tells its leader in the group, and records who and when", async () => {
    await setup();
    const [msg] = await h.say(minh, "/mien soc be sáp nhập vào Ấp Bến Đò.");
    expect(msg!.text).toContain("Dạ, Ấp Sóc Bế được miễn báo cáo tháng 11/2026 (lý do: sáp nhập vào Ấp Bến Đò)");
    expect(msg!.text).toContain("Bé: Ấp Sóc Bế được miễn báo cáo tháng 11/2026");
    expect(msg!.mentions).toEqual([{ userId: "108", name: "Bé" }]);
    expect(stored()).toEqual([{ unit_code: "25747-08", period_key: "2026-M11", reason: "sáp nhập vào Ấp Bến Đò", by_name: "Minh", lifted_at: null, lifted_by_name: null }]);
    const [list] = await h.say(minh, "/mien");
    expect(list!.text).toContain("Các khu dân cư được miễn báo cáo tháng 11/2026: Ấp Sóc Bế (lý do: sáp nhập vào Ấp Bến Đò; Minh, 10/11/2026)");
  });

  it("reads a period after the area, refuses another kind of period, and keeps a leading number in the reason", async () => {
    await setup();
    await h.say(minh, "/mien 8 tháng 12 trưởng ban ốm");
    expect(stored().map((r) => [r.period_key, r.reason])).toEqual([["2026-M12", "trưởng ban ốm"]]);
    expect((await h.say(minh, "/mien 8 quý 4 trưởng ban ốm"))[0]!.text).toContain("miễn báo cáo tính theo từng tháng");
    await h.say(minh, "/mien 7 3 hộ còn lại chuyển về Ấp Tân Lập");
    expect(stored().at(-1)).toMatchObject({ unit_code: "25747-07", period_key: "2026-M11", reason: "3 hộ còn lại chuyển về Ấp Tân Lập" });
  });

  it("/tonghop and /tiendo count the area as not expected; the board is edited in place as exemptions change", async () => {
    await setup();
    const [board] = await h.say(minh, "/tiendo");
    await h.say(minh, "/mien soc be sáp nhập vào Ấp Bến Đò");
    const edited = () => h.transport.sent.filter((s) => s.editOf === board!.messageId).at(-1)?.text ?? "";
    expect(edited()).toContain("➖ Được miễn (1): 8. Ấp Sóc Bế (sáp nhập vào Ấp Bến Đò)");
    expect(edited()).toContain("⏳ Chưa bắt đầu (7)");
    const [sum] = await h.say(minh, "/tonghop");
    expect(sum!.text).toContain("Đã nộp 0/7 khu dân cư (1 khu được miễn); chưa nộp:");
    expect(sum!.text).toContain("Được miễn: Ấp Sóc Bế (sáp nhập vào Ấp Bến Đò).");
    const [x] = await h.say(minh, "/xuat");
    const sheet = (await readXlsx(x!.file!.bytes))[0]!;
    expect(sheet.rows.find((r) => r[1] === "Ấp Sóc Bế")![2]).toBe("Được miễn (lý do: sáp nhập vào Ấp Bến Đò)");
    expect(sheet.rows.flat()).toContain("0/7");
    const [lifted] = await h.say(minh, "/bomien soc be");
    expect(lifted!.text).toContain("Dạ, đã bỏ miễn báo cáo tháng 11/2026 cho Ấp Sóc Bế");
    expect(lifted!.text).toContain("Bé: Ấp Sóc Bế không còn được miễn báo cáo tháng 11/2026. Anh/chị gõ /baocao để nộp giúp em, hạn nộp 16/11");
    expect(edited()).not.toContain("Được miễn");
    expect(edited()).toContain("⏳ Chưa bắt đầu (8)");
    expect(stored()[0]).toMatchObject({ lifted_by_name: "Minh" });
    expect(stored()[0]!.lifted_at).not.toBeNull();
    expect((await h.say(minh, "/bomien soc be"))[0]!.text).toContain("không được miễn báo cáo tháng 11/2026");
    const [trail] = await h.say(minh, "/lichsu soc be");
    expect(trail!.text).toMatch(/Minh: miễn báo cáo \(lý do: sáp nhập vào Ấp Bến Đò\)\n.* — Minh: bỏ miễn báo cáo/);
  });

  it("refuses to excuse an area that has submitted; an exempt area that submits anyway counts normally", async () => {
    await setup();
    await fill(tu, FULL_FORM_ANSWERS);
    expect((await h.say(minh, "/mien ben do ốm"))[0]!.text).toContain("Ấp Bến Đò đã nộp báo cáo tháng 11/2026 nên không cần miễn");
    await h.say(minh, "/mien cay dau trưởng ban ốm");
    await fill(hanh, FULL_FORM_ANSWERS);
    const [sum] = await h.say(minh, "/tonghop");
    expect(sum!.text).toContain("Đã nộp 2/8 khu dân cư; chưa nộp:");
    expect(sum!.text).not.toContain("được miễn");
  });

  it("reminders pass an exempt area by: /nhacnho and the scheduled ping", async () => {
    await setup();
    await h.say(minh, "/mien soc be sáp nhập vào Ấp Bến Đò");
    const [nudge] = await h.say(minh, "/nhacnho");
    expect(nudge!.text).toContain("Tư (Ấp Bến Đò)");
    expect(nudge!.text).not.toContain("Bé");
    expect(nudge!.mentions!.map((x) => x.userId)).not.toContain("108");
    // The scheduled reminder two days before the deadline (14/11 08:00), after the cooldown of /nhacnho.
    const fired: string[] = [];
    for (let at = Date.parse("2026-11-14T07:00:00+07:00"); at <= Date.parse("2026-11-14T08:30:00+07:00"); at += 15 * 60_000) {
      h.clock.set(new Date(at));
      const before = h.transport.sent.length;
      h.core.reminders.tick();
      await h.flush();
      fired.push(...Harness.texts(h.transport.sent.slice(before)));
    }
    const ping = fired.find((t) => t.startsWith("Kính nhắc"));
    expect(ping).toContain("Tư (Ấp Bến Đò)");
    expect(ping).not.toContain("Ấp Sóc Bế");
  });

  it("excusing the last area that lags completes the commune: its draft goes to the group and names the exempt area", async () => {
    await setup();
    for (const code of ["03", "04", "05", "06", "07", "08"]) h.grant({ id: `2${code}`, name: `L${code}` }, "reporter", `25747-${code}`);
    await fill(tu, FULL_FORM_ANSWERS);
    await fill(hanh, FULL_FORM_ANSWERS);
    for (const code of ["03", "04", "05", "06", "07"]) await fill({ id: `2${code}`, name: `L${code}` }, FULL_FORM_ANSWERS);
    const sent = await h.say(minh, "/mien soc be sáp nhập vào Ấp Bến Đò");
    const notice = sent.find((s) => s.text.includes("đã hoàn thành báo cáo"));
    expect(notice!.text).toContain("Xã Tân Khai đã hoàn thành báo cáo tháng 11/2026: 7/7 khu dân cư đã nộp (1 khu được miễn) ✅");
    const draft = sent.find((s) => s.file?.filename.endsWith(".docx"));
    const text = await docxText(draft!.file!.bytes);
    expect(text).toContain("có 7/7 khu dân cư đã nộp báo cáo.");
    expect(text).toContain("Ấp Sóc Bế được miễn báo cáo kỳ này (lý do: sáp nhập vào Ấp Bến Đò).");
  });
});

describe("an exemption given privately, and the web view", () => {
  let http: HttpServer | undefined;
  afterEach(async () => {
    await http?.close();
    http = undefined;
  });

  it("staff excuse an area in a private chat; the leader is told in the group; the web view shows the area excused", async () => {
    http = new HttpServer();
    let base = "";
    h = new Harness("2026-11-10T09:00:00+07:00", ":memory:", { baseUrl: () => base, hours: 72 });
    serveWebView(http, new WebView(new SqlWorld(h.core.db), new WebLinkStore(h.core.db), h.core.prompts, h.clock, h.core.documents));
    base = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
    h.link(GROUP, "25747");
    h.grant(minh, "commune_staff", "25747");
    h.grant(be, "reporter", "25747-08");
    await h.say(be, "/trogiup");
    const sent = await h.say(minh, "/mien soc be trưởng ban ốm", { chatId: minh.id });
    expect(sent.find((s) => s.chatId === minh.id)!.text).toContain("Dạ, Ấp Sóc Bế được miễn báo cáo tháng 11/2026 (lý do: trưởng ban ốm)");
    const notice = sent.find((s) => s.chatId === GROUP)!;
    expect(notice.text).toBe("Bé: Ấp Sóc Bế được miễn báo cáo tháng 11/2026 (lý do: trưởng ban ốm). Anh/chị không cần nộp kỳ này ạ; nếu vẫn muốn nộp, anh/chị cứ gõ /baocao, số liệu vẫn được tính.");
    expect(notice.mentions).toEqual([{ userId: "108", name: "Bé" }]);
    const [link] = await h.say(minh, "/web", { chatId: minh.id });
    const url = /(http:\/\/\S+\/web\/\S+)/.exec(link!.text)![1]!;
    const page = (await (await fetch(url)).text()).replace(/<style>[\s\S]*?<\/style>/, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    expect(page).toContain("Đã nộp 0/7 khu dân cư (1 khu được miễn).");
    expect(page).toContain("Được miễn: trưởng ban ốm");
  });
});
