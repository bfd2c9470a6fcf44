// Several report kinds at once, in process: the monthly form and a quarterly one (a YAML file in a temporary
// prompts directory). Leaders choose the kind or name it; staff name it by short name or number, or choose;
// the progress board shows every open kind and is refreshed when either is submitted.
import { afterEach, describe, expect, it } from "vitest";
import { docxText } from "../support/docx-text.js";
import { FULL_FORM_ANSWERS, GROUP, Harness, type Sent } from "../support/harness.js";
import { promptsWith, QUARTERLY_FORM } from "../support/test-forms.js";

const tu = { id: "101", name: "Tư" };
const hanh = { id: "102", name: "Hạnh" };
const minh = { id: "103", name: "Minh" };
const sau = { id: "104", name: "Sáu" };

const PROMPTS = promptsWith({ "txct-quy.yaml": QUARTERLY_FORM });

let h: Harness;
afterEach(() => h?.close());

function setup(now = "2026-11-10T09:00:00+07:00"): Harness {
  h = new Harness(now, ":memory:", undefined, PROMPTS);
  h.link(GROUP, "25747");
  h.grant(minh, "commune_staff", "25747");
  h.grant(tu, "reporter", "25747-01");
  h.grant(hanh, "reporter", "25747-02");
  return h;
}

const labels = (s: Sent) => (s.choices ?? []).flat().map((c) => c.label);
const only = (sent: Sent[]) => sent.filter((s) => s.text).at(-1)!;

describe("a leader with two report kinds open", () => {
  it("chooses the kind from a short choice, fills it, and sees it marked as submitted next time", async () => {
    setup();
    const menu = only(await h.say(tu, "/baocao"));
    expect(menu.question).toMatchObject({ kind: "choice", topic: "kind" });
    expect(menu.text).toContain("lần sau có thể gõ luôn tên ngắn, ví dụ: /baocao thang");
    expect(labels(menu)).toEqual(["1. Báo cáo tháng — tháng 11/2026", "2. Tiếp xúc cử tri — quý IV/2026"]);
    const q = only(await h.press(tu, menu.messageId, "pf:txct_quy"));
    expect(q.text).toContain("nhập báo cáo quý IV/2026 (Tiếp xúc cử tri) của Ấp Bến Đò (hạn 14/12)");
    expect(q.text).toContain("Trong quý, khu dân cư phối hợp tổ chức tiếp xúc cử tri tại mấy điểm");
    const done = only(await h.say(tu, "2 điểm, 300 cử tri, 15 kiến nghị"));
    expect(done.text).toContain("Ấp Bến Đò đã hoàn thành báo cáo quý IV/2026 (Tiếp xúc cử tri) ✅");
    expect(done.text).toContain("Tiếp xúc cử tri 2 điểm/300 cử tri, 15 kiến nghị");
    expect(done.file!.filename).toBe("Bao-cao-tiep-xuc-cu-tri-quy-IV-2026-Ap-Ben-Do.docx");
    const text = await docxText(done.file!.bytes);
    expect(text).toContain("báo cáo kết quả phối hợp tổ chức tiếp xúc cử tri quý IV/2026 như sau:");
    expect(text).toContain("BÁO CÁO\nKết quả phối hợp tổ chức tiếp xúc cử tri quý IV/2026\n");
    expect(text).toContain("đã phối hợp tổ chức tiếp xúc cử tri tại 2 điểm, thu hút 300 cử tri tham dự; cử tri nêu 15 ý kiến, kiến nghị.");
    expect(text).toContain("Trên đây là báo cáo kết quả tiếp xúc cử tri quý IV/2026 của Ban công tác Mặt trận ấp Bến Đò./.");
    expect(text).not.toContain("công tác Mặt trận quý");
    // Next time the submitted kind says so; a typed number picks the other.
    const again = only(await h.say(tu, "/baocao"));
    expect(labels(again)).toEqual(["1. Báo cáo tháng — tháng 11/2026", "2. Tiếp xúc cử tri — quý IV/2026 ✓ đã nộp"]);
    const monthly = only(await h.say(tu, "1"));
    expect(monthly.text).toContain("nhập báo cáo tháng 11/2026 (Báo cáo tháng) của Ấp Bến Đò (hạn 16/11)");
  });

  it("names the kind by short name or number; /xem, /lai and /huy act on the report in progress", async () => {
    setup();
    expect(only(await h.say(hanh, "/baocao txct")).text).toContain("quý IV/2026 (Tiếp xúc cử tri)");
    expect(only(await h.say(hanh, "/xem")).text).toContain("Chưa nhập số liệu nào cho quý IV/2026 (Tiếp xúc cử tri).");
    expect(only(await h.say(hanh, "/huy")).text).toContain("Đã tạm dừng");
    expect(only(await h.say(hanh, "/baocao 1")).text).toContain("tháng 11/2026 (Báo cáo tháng)");
    await h.say(hanh, FULL_FORM_ANSWERS[0]!);
    const view = only(await h.say(hanh, "/xem"));
    expect(view.text).toContain("Báo cáo tháng 11/2026 (Báo cáo tháng) của Ấp Cây Dầu");
    expect(view.text).toContain("Số buổi tuyên truyền, phổ biến pháp luật: 12 buổi");
    expect(only(await h.say(hanh, "/lai")).text).toContain("Trong kỳ, khu dân cư tổ chức mấy buổi tuyên truyền");
    expect(h.answers("25747-02", "2026-M11")).toEqual({});
    expect(only(await h.say(hanh, "/baocao 3")).text).toContain("Dạ, em không thấy báo cáo “3”");
  });

  it("with two areas chooses the area and then the kind, or names both at once", async () => {
    setup();
    h.grant(sau, "reporter", "25747-03");
    h.grant(sau, "reporter", "25747-04");
    const areas = only(await h.say(sau, "/baocao"));
    expect(areas.question).toMatchObject({ topic: "area" });
    const kinds = only(await h.say(sau, "2"));
    expect(kinds.question).toMatchObject({ topic: "kind" });
    expect(only(await h.say(sau, "txct")).text).toContain("quý IV/2026 (Tiếp xúc cử tri) của Ấp Bàu Lòn");
    expect(only(await h.say(sau, "/baocao soc ruong txct")).text).toContain("quý IV/2026 (Tiếp xúc cử tri) của Ấp Sóc Ruộng");
    // The kind named first, the area chosen after.
    await h.say(sau, "/huy");
    only(await h.say(sau, "/baocao thang"));
    expect(only(await h.say(sau, "1")).text).toContain("tháng 11/2026 (Báo cáo tháng) của Ấp Sóc Ruộng");
  });

  it("before the quarter's window opens goes straight into the monthly form, and is told when the other opens", async () => {
    setup("2026-10-20T09:00:00+07:00");
    expect(only(await h.say(tu, "/baocao")).text).toContain("nhập báo cáo tháng 11/2026 (Báo cáo tháng) của Ấp Bến Đò");
    expect(only(await h.say(tu, "/baocao txct")).text).toBe("Dạ, Tiếp xúc cử tri quý IV/2026 chưa đến lúc nhập; em mở từ ngày 30/10. Anh/chị quay lại giúp em nhé.");
  });
});

describe("staff with two report kinds", () => {
  it("/tonghop asks which kind, or takes it by short name or number, with the period after it", async () => {
    setup();
    await h.say(tu, "/baocao txct");
    await h.say(tu, "2 điểm, 300 cử tri, 15 kiến nghị");
    const menu = only(await h.say(minh, "/tonghop"));
    expect(labels(menu)).toEqual(["1. Báo cáo tháng — tháng 11/2026", "2. Tiếp xúc cử tri — quý IV/2026"]);
    const picked = only(await h.press(minh, menu.messageId, "pf:txct_quy"));
    expect(picked.text).toContain("Tổng hợp quý IV/2026 (Tiếp xúc cử tri) — Xã Tân Khai");
    expect(picked.text).toContain("Đã nộp 1/8 khu dân cư");
    expect(picked.text).toContain("Tiếp xúc cử tri 2 điểm/300 cử tri, 15 kiến nghị");
    expect(picked.file!.filename).toBe("Bao-cao-tong-hop-tiep-xuc-cu-tri-quy-IV-2026-Xa-Tan-Khai.docx");
    const summary = await docxText(picked.file!.bytes);
    expect(summary).toContain("báo cáo kết quả phối hợp tổ chức tiếp xúc cử tri quý IV/2026 ở các khu dân cư như sau:");
    expect(summary).toContain("Các khu dân cư đã phối hợp tổ chức tiếp xúc cử tri tại 2 điểm, thu hút 300 cử tri tham dự");
    expect(only(await h.say(minh, "/tonghop 2 quý 4")).text).toContain("Tổng hợp quý IV/2026 (Tiếp xúc cử tri)");
    expect(only(await h.say(minh, "/tonghop thang")).text).toContain("Tổng hợp tháng 11/2026 (Báo cáo tháng) — Xã Tân Khai");
    expect(only(await h.say(minh, "/tonghop thang tháng trước")).text).toContain("Tổng hợp tháng 10/2026 (Báo cáo tháng)");
    // Without diacritics "thang truoc" is the period "tháng trước": which kind is still to be said.
    expect(only(await h.say(minh, "/tonghop thang truoc")).question).toMatchObject({ topic: "kind" });
    expect(only(await h.say(minh, "1")).text).toContain("Tổng hợp tháng 10/2026 (Báo cáo tháng)");
    expect(only(await h.say(minh, "/tonghop thang quý 4")).text).toContain("Tổng hợp quý IV/2026 (Báo cáo tháng)");
    const sheet = only(await h.say(minh, "/xuat txct"));
    expect(sheet.file!.filename).toBe("So-lieu-tiep-xuc-cu-tri-quy-IV-2026-Xa-Tan-Khai.xlsx");
  });

  it("/tiendo shows every open kind on one board, refreshed in place when either is submitted", async () => {
    setup();
    const board = only(await h.say(minh, "/tiendo"));
    expect(board.text).toContain("Tiến độ các báo cáo — Xã Tân Khai");
    expect(board.text).toContain("1. Báo cáo tháng — tháng 11/2026\nHạn nộp 16/11/2026, còn 6 ngày.");
    expect(board.text).toContain("2. Tiếp xúc cử tri — quý IV/2026\nHạn nộp 14/12/2026, còn 34 ngày.");
    expect(board.purpose).toBe("progress:25747:mttq_dinh_ky@2026-M11,txct_quy@2026-Q4");
    await h.say(hanh, "/baocao txct");
    const sent = await h.say(hanh, "5 điểm, 250 cử tri, 9 kiến nghị");
    const edit = sent.find((s) => s.editOf === board.messageId)!;
    expect(edit.text).toMatch(/2\. Tiếp xúc cử tri — quý IV\/2026\nHạn nộp 14\/12\/2026, còn 34 ngày\.\n📨 Đã nộp \(1\): 2\. Ấp Cây Dầu/);
    // A board of one kind shows that kind only, as before.
    const one = only(await h.say(minh, "/tiendo txct"));
    expect(one.text).toMatch(/^Tiến độ báo cáo quý IV\/2026 \(Tiếp xúc cử tri\) — Xã Tân Khai\nHạn nộp 14\/12\/2026/);
    const refreshed = (await fillMonthly(tu)).find((s) => s.editOf === board.messageId)!;
    expect(refreshed.text).toMatch(/1\. Báo cáo tháng — tháng 11\/2026\nHạn nộp 16\/11\/2026, còn 6 ngày\.\n📨 Đã nộp \(1\): 1\. Ấp Bến Đò/);
    // The one-kind board is not about the monthly report: it is left as it was.
    expect(h.transport.sent.filter((s) => s.editOf === one.messageId)).toHaveLength(0);
  });

  it("/duyet takes the kind in which the area has a report, or asks; /chitieu sets a kind's targets", async () => {
    setup();
    await h.say(tu, "/baocao txct");
    await h.say(tu, "2 điểm, 300 cử tri, 15 kiến nghị");
    expect(only(await h.say(minh, "/duyet 1")).text).toBe("Đã duyệt báo cáo quý IV/2026 (Tiếp xúc cử tri) của Ấp Bến Đò. ✅");
    await fillMonthly(tu);
    const ask = only(await h.say(minh, "/duyet 1"));
    expect(ask.question).toMatchObject({ topic: "kind" });
    expect(only(await h.say(minh, "thang")).text).toBe("Đã duyệt báo cáo tháng 11/2026 (Báo cáo tháng) của Ấp Bến Đò. ✅");
    expect(only(await h.say(minh, "/tralai txct 1 thiếu số kiến nghị")).text).toContain("báo cáo quý IV/2026 (Tiếp xúc cử tri) của Ấp Bến Đò được trả lại");
    expect(only(await h.say(minh, "/lichsu txct 1")).text).toContain("quý IV/2026 (Tiếp xúc cử tri)");
    const targets = only(await h.say(minh, "/chitieu txct"));
    expect(targets.text).toContain("Chỉ tiêu năm 2026 của Xã Tân Khai (Tiếp xúc cử tri). Gõ /chitieu txct <số thứ tự> <giá trị> để đặt");
    expect(only(await h.say(minh, "/chitieu txct 2 5000")).text).toContain("5.000 cử tri");
    expect(only(await h.say(minh, "/moky txct quý 3")).text).toContain("Đã mở kỳ báo cáo quý III/2026 (Tiếp xúc cử tri) cho Xã Tân Khai");
    // The monthly report still collects tháng 11.
    expect(only(await h.say(hanh, "/baocao")).question).toMatchObject({ topic: "kind" });
  });
});

describe("reminders of two report kinds", () => {
  it("fire on each form's own schedule, naming the kind to type", async () => {
    setup("2026-11-14T08:00:30+07:00");
    h.core.reminders.tick();
    await h.flush();
    const pings = h.transport.sent.filter((s) => s.purpose === "reminder").map((s) => s.text);
    expect(pings).toHaveLength(2);
    expect(pings.find((t) => t.includes("tháng 11/2026 (Báo cáo tháng)"))).toContain("hạn nộp 16/11 (còn 2 ngày). Anh/chị gõ /baocao thang để nhập");
    expect(pings.find((t) => t.includes("quý IV/2026 (Tiếp xúc cử tri)"))).toContain("hạn nộp 14/12 (còn 30 ngày). Anh/chị gõ /baocao txct để nhập");
    expect(pings.every((t) => t.includes("(Ấp Bến Đò)") && t.includes("(Ấp Cây Dầu)"))).toBe(true);
  });
});

describe("a report kind communes fill", () => {
  it("the commune staff fill it for their commune; the commune's board and totals count communes", async () => {
    const commune = QUARTERLY_FORM.replace("id: txct_quy", "id: xa_quy")
      .replace("short: txct", "short: xaquy")
      .replace("name: Tiếp xúc cử tri", "name: Báo cáo quý của xã\napplies_to: [commune]")
      .replace(/files:\n(.*\n){3}/, 'files:\n    area: "Báo cáo quý của xã {period} - {unit}.docx"\n    summary: "Tổng hợp quý của xã {period} - {unit}.docx"\n');
    h = new Harness("2026-11-10T09:00:00+07:00", ":memory:", undefined, promptsWith({ "xa-quy.yaml": commune }));
    h.link(GROUP, "25747");
    h.grant(minh, "commune_staff", "25747");
    h.grant(tu, "reporter", "25747-01");
    // The leader is not asked for the commune's report; the staff go straight in.
    expect(only(await h.say(tu, "/baocao xaquy")).text).toBe("Dạ, báo cáo “Báo cáo quý của xã” không dành cho Ấp Bến Đò ạ.");
    expect(h.answers("25747", "2026-Q4")).toEqual({});
    expect(only(await h.say(minh, "/baocao")).text).toContain("nhập báo cáo quý IV/2026 (Báo cáo quý của xã) của Xã Tân Khai (hạn 14/12)");
    const done = only(await h.say(minh, "2 điểm, 300 cử tri, 15 kiến nghị"));
    expect(done.text).toContain("Xã Tân Khai đã hoàn thành báo cáo quý IV/2026 (Báo cáo quý của xã) ✅");
    expect(done.file!.filename).toBe("Bao-cao-quy-cua-xa-quy-IV-2026-Xa-Tan-Khai.docx");
    expect(await docxText(done.file!.bytes)).toContain("đã phối hợp tổ chức tiếp xúc cử tri tại 2 điểm, thu hút 300 cử tri tham dự");
    const board = only(await h.say(minh, "/tiendo"));
    expect(board.text).toContain("2. Báo cáo quý của xã — quý IV/2026\nHạn nộp 14/12/2026, còn 34 ngày.\n📨 Đã nộp (1): 1. Xã Tân Khai");
    const sum = only(await h.say(minh, "/tonghop xaquy"));
    expect(sum.text).toContain("Tổng hợp quý IV/2026 (Báo cáo quý của xã) — Xã Tân Khai\nĐã nộp 1/1 xã.");
    expect(await docxText(sum.file!.bytes)).toMatch(/Số điểm tiếp xúc cử tri \| điểm \| 2 \| 2/);
  });
});

async function fillMonthly(who: { id: string; name: string }): Promise<Sent[]> {
  await h.say(who, "/baocao thang");
  const sent: Sent[] = [];
  for (const a of FULL_FORM_ANSWERS) sent.push(...(await h.say(who, a)));
  return sent;
}
