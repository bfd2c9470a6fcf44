// The shipped report kinds beside the monthly one, in process on prompts/ as shipped: the voter-contact round
// (opened by staff), the peak month of the "Vì người nghèo" fund (fixed dates) — their questions, readings, hard
// rules and warnings, completion lines and drafts — and what a leader is offered on a day several are open; and
// the weekly Mặt trận số report a commune may add (prompts/forms-optional/).
import { afterEach, describe, expect, it } from "vitest";
import { docxText } from "../support/docx-text.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { GROUP, Harness, type Sent } from "../support/harness.js";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** prompts/ as shipped, with these form files added. */
function promptsWithShipped(forms: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "baocao-prompts-shipped-"));
  cpSync(DEFAULT_PROMPTS, dir, { recursive: true });
  for (const [name, yaml] of Object.entries(forms)) writeFileSync(join(dir, "forms", name), yaml);
  return dir;
}

const tu = { id: "101", name: "Tư" };
const hanh = { id: "102", name: "Hạnh" };
const minh = { id: "103", name: "Minh" };
const ROUND = "Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã (10/11–20/11)";
const CAMPAIGN = "Tháng cao điểm “Vì người nghèo” năm 2026 (17/10–18/11)";

let h: Harness;
afterEach(() => h?.close());

function setup(now = "2026-11-10T09:00:00+07:00", prompts = DEFAULT_PROMPTS): Harness {
  h = new Harness(now, ":memory:", undefined, prompts);
  h.link(GROUP, "25747");
  h.grant(minh, "commune_staff", "25747");
  h.grant(tu, "reporter", "25747-01");
  h.grant(hanh, "reporter", "25747-02");
  return h;
}

const last = (sent: Sent[]) => sent.filter((s) => s.text).at(-1)!;
const labels = (s: Sent) => (s.choices ?? []).flat().map((c) => c.label);

describe("what is open on 10/11", () => {
  it("offers the month and the campaign; the round once staff open it", async () => {
    setup();
    expect(labels(last(await h.say(tu, "/baocao")))).toEqual(["1. Báo cáo tháng — tháng 11/2026", `2. Quỹ “Vì người nghèo” — ${CAMPAIGN}`]);
    await h.say(tu, "/huy");
    expect(last(await h.say(tu, "/baocao txct")).text).toContain("Tiếp xúc cử tri hiện chưa có đợt nào đang mở");
    expect(last(await h.say(minh, `/moky txct Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã từ 10/11 đến 20/11`)).text).toBe(
      `Đã mở đợt ${ROUND} (R1) cho Xã Tân Khai, hạn báo cáo 23/11. Các khu dân cư gõ /baocao txct để báo cáo.`,
    );
    expect(labels(last(await h.say(tu, "/baocao")))).toEqual([
      "1. Báo cáo tháng — tháng 11/2026",
      `2. Tiếp xúc cử tri — ${ROUND}`,
      `3. Quỹ “Vì người nghèo” — ${CAMPAIGN}`,
    ]);
  });

  it("before 17/10 and after the deadline the campaign is not offered", async () => {
    setup("2026-10-10T09:00:00+07:00");
    expect(last(await h.say(tu, "/baocao")).text).toContain("nhập báo cáo tháng 10/2026 (Báo cáo tháng)");
    h.clock.set("2026-11-24T09:00:00+07:00");
    expect(last(await h.say(tu, "/baocao vnn")).text).toContain("chưa đến lúc nhập");
  });
});

describe("the voter-contact round", () => {
  it("asks points, delegates, voters, then speakers, opinions and those answered; refuses more answered than raised", async () => {
    setup();
    await h.say(minh, "/moky txct Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã từ 10/11 đến 20/11");
    const first = last(await h.say(tu, "/baocao txct"));
    expect(first.text).toContain(`nhập báo cáo ${ROUND} (Tiếp xúc cử tri) của Ấp Bến Đò (hạn 23/11)`);
    expect(first.text).toContain("tiếp xúc cử tri tại mấy điểm, có bao nhiêu đại biểu và bao nhiêu cử tri tham dự?");
    expect(last(await h.say(tu, "2 diem 5 dai bieu 454 cu tri")).text).toContain("Ghi nhận: 2 điểm, 5 đại biểu, 454 cử tri.");
    // The delegates' group: more attending than it has is refused.
    expect(last(await h.say(tu, "4")).text).toContain("Số đại biểu tham dự (5) không thể nhiều hơn tổng số đại biểu của tổ (4).");
    // The group's size may be skipped: "không" (read as 0) breaks the rule, and the reply says how to skip.
    expect(last(await h.say(tu, "không")).text).toContain("nếu không rõ thì gõ /bo để bỏ qua");
    expect(last(await h.say(tu, "6")).text).toContain("Có bao nhiêu lượt cử tri phát biểu, nêu bao nhiêu nội dung ý kiến, kiến nghị");
    const refused = last(await h.say(tu, "34 lượt phát biểu, 72 kiến nghị, trả lời tại chỗ 80")).text;
    expect(refused).toContain("Số nội dung được trả lời (80) không thể nhiều hơn số nội dung cử tri kiến nghị (72).");
    expect(refused).toContain("Anh/chị nhập lại giúp em, hoặc gõ /lai để sửa câu trước.");
    expect(h.answers("25747-01", "R1")).not.toHaveProperty("txct_tra_loi");
    const ok = last(await h.say(tu, "34 lượt phát biểu, 72 kiến nghị, trả lời tại chỗ 40"));
    expect(ok.text).toContain("Ghi nhận: phát biểu 34 lượt, kiến nghị 72 nội dung, trả lời tại chỗ 40 nội dung.");
    await h.say(tu, "đường giao thông nông thôn, cấp giấy chứng nhận quyền sử dụng đất");
    await h.say(tu, "không");
    const done = last(await h.say(tu, "Đề nghị tổ chức vào buổi tối"));
    expect(done.text).toContain(`Ấp Bến Đò đã hoàn thành báo cáo ${ROUND} (Tiếp xúc cử tri) ✅`);
    expect(done.text).toContain("2 điểm, 5 đại biểu, 454 cử tri · 34 lượt phát biểu, 72 kiến nghị (40 trả lời tại chỗ)");
    const text = await docxText(done.file!.bytes);
    expect(text).toContain(`BÁO CÁO\nKết quả đợt ${ROUND}\n`);
    expect(text).toContain("Ban công tác Mặt trận đã phối hợp tổ chức cho 5 đại biểu tiếp xúc cử tri tại 2 điểm, với 454 cử tri tham dự.");
    expect(text).toContain("Số đại biểu tham dự đạt 83,3% tổng số 6 đại biểu của tổ đại biểu được phân công.");
    expect(text).toContain("Có 34 lượt cử tri đóng góp ý kiến với 72 nội dung.");
    expect(text).toContain("đã trả lời, giải trình 40/72 nội dung (55,6%); 32 nội dung còn lại được tổng hợp gửi cấp có thẩm quyền xem xét, giải quyết.");
    expect(text).toContain("Cử tri quan tâm, kiến nghị nhiều về: đường giao thông nông thôn, cấp giấy chứng nhận quyền sử dụng đất.");
    expect(text).toContain("III. ĐỀ XUẤT, KIẾN NGHỊ\nĐề nghị tổ chức vào buổi tối.");
    expect(text).toContain("Nơi nhận: - Ban Thường trực UBMTTQ Việt Nam xã Tân Khai; - Thường trực HĐND xã Tân Khai; - Lưu: VT.");
  });

  it("with no meeting held skips the opinions and says so in the draft", async () => {
    setup();
    await h.say(minh, "/moky txct Tiếp xúc cử tri sau kỳ họp thứ 5 HĐND xã từ 10/11 đến 20/11");
    await h.say(hanh, "/baocao txct");
    expect(last(await h.say(hanh, "không")).text).toContain("Phần 3/3 — Khó khăn, đề xuất.");
    await h.say(hanh, "không");
    const done = last(await h.say(hanh, "không"));
    const text = await docxText(done.file!.bytes);
    expect(text).toContain("1. Tổ chức hội nghị tiếp xúc cử tri\nTrong đợt, khu dân cư không tổ chức điểm tiếp xúc cử tri.");
  });
});

describe("the peak month of the “Vì người nghèo” fund", () => {
  it("asks money raised and households, houses built and repaired, gifts; checks houses against households", async () => {
    setup();
    const first = last(await h.say(hanh, "/baocao vnn"));
    expect(first.text).toContain(`nhập báo cáo ${CAMPAIGN} (Quỹ “Vì người nghèo”) của Ấp Cây Dầu (hạn 23/11)`);
    expect(last(await h.say(hanh, "vận động 25tr, hỗ trợ 2 hộ")).text).toContain("Ghi nhận: vận động 25.000.000 đồng, hỗ trợ 2 hộ.");
    expect(last(await h.say(hanh, "1 căn, 60 triệu")).text).toContain("Ghi nhận: xây mới 1 căn, hết 60.000.000 đồng.");
    expect(last(await h.say(hanh, "2 căn 30tr")).text).toContain("Số căn nhà xây mới (1) và sửa chữa (2) không thể nhiều hơn số hộ được hỗ trợ (2).");
    await h.say(hanh, "1 căn 15tr");
    // 40 gifts worth 400 million is asked about, not stored on the word alone.
    const warned = last(await h.say(hanh, "40 suất, 400 triệu"));
    expect(warned.text).toContain("Trung bình mỗi suất quà trị giá 10.000.000 đồng");
    await h.say(hanh, "không");
    await h.say(hanh, "40 suất, 20 triệu");
    await h.say(hanh, "Nhiều hộ làm nông, thu nhập thấp");
    const done = last(await h.say(hanh, "không"));
    expect(done.text).toContain(`Ấp Cây Dầu đã hoàn thành báo cáo ${CAMPAIGN} (Quỹ “Vì người nghèo”) ✅`);
    expect(done.text).toContain("Vận động 25.000.000 đ, hỗ trợ 2 hộ · Nhà ĐĐK 1 căn · Sửa 1 căn · Quà 40 suất/20.000.000 đ");
    expect(done.file!.filename).toBe("Bao-cao-ket-qua-Thang-cao-diem-Vi-nguoi-ngheo-nam-2026-17-10-18-11-Ap-Cay-Dau.docx");
    const text = await docxText(done.file!.bytes);
    expect(text).toContain(`BÁO CÁO\nKết quả ${CAMPAIGN}\n`);
    expect(text).toContain("ủng hộ Quỹ “Vì người nghèo” được 25.000.000 đồng.");
    expect(text).toContain("Xây mới 1 căn nhà Đại đoàn kết với tổng số tiền 60.000.000 đồng.");
    expect(text).toContain("Sửa chữa 1 căn nhà cho hộ nghèo, hộ có hoàn cảnh khó khăn với số tiền 15.000.000 đồng.");
    expect(text).toContain("Thăm, trao tặng 40 suất quà cho hộ nghèo, hộ có hoàn cảnh khó khăn, tổng trị giá 20.000.000 đồng.");
    expect(text).toContain("II. KHÓ KHĂN, HẠN CHẾ\nNhiều hộ làm nông, thu nhập thấp.");
    const summary = last(await h.say(minh, "/tonghop vnn"));
    expect(summary.text).toContain(`Tổng hợp ${CAMPAIGN} (Quỹ “Vì người nghèo”) — Xã Tân Khai`);
    const total = await docxText(summary.file!.bytes);
    expect(total).toContain("Các Ban công tác Mặt trận khu dân cư đã vận động Quỹ “Vì người nghèo” được 25.000.000 đồng.");
    expect(total).toContain("2. Khó khăn, hạn chế\n- Ấp Cây Dầu: Nhiều hộ làm nông, thu nhập thấp.");
  });
});

describe("the weekly Mặt trận số report, added from prompts/forms-optional/", () => {
  it("asks posts shared and members, reflections received and forwarded; refuses more forwarded than received", async () => {
    const weekly = readFileSync(join(DEFAULT_PROMPTS, "forms-optional", "tuan-mat-tran-so.yaml"), "utf8");
    setup("2026-12-03T09:00:00+07:00", promptsWithShipped({ "tuan-mat-tran-so.yaml": weekly }));
    expect(labels(last(await h.say(tu, "/baocao")))).toEqual(["1. Báo cáo tháng — tháng 12/2026", "2. Mặt trận số — tuần 49/2026 (30/11–06/12)"]);
    await h.say(tu, "/huy");
    const first = last(await h.say(tu, "/baocao mts"));
    expect(first.text).toContain("nhập báo cáo tuần 49/2026 (30/11–06/12) (Mặt trận số) của Ấp Bến Đò (hạn 07/12)");
    expect(last(await h.say(tu, "12 tin bài, 350 thành viên")).text).toContain("Ghi nhận: chia sẻ 12 tin bài, 350 thành viên.");
    expect(last(await h.say(tu, "nhận 5 phản ánh, đã chuyển 7")).text).toContain("Số ý kiến đã chuyển (7) không thể nhiều hơn số ý kiến tiếp nhận (5).");
    const done = last(await h.say(tu, "nhận 5 phản ánh, đã chuyển 3"));
    expect(done.text).toContain("Ấp Bến Đò đã hoàn thành báo cáo tuần 49/2026 (30/11–06/12) (Mặt trận số) ✅");
    const text = await docxText(done.file!.bytes);
    expect(text).toContain("Ban công tác Mặt trận đã chia sẻ 12 tin, bài của Mặt trận vào các nhóm Zalo, Facebook của khu dân cư, đến 350 thành viên.");
    expect(text).toContain("đã chuyển 3/5 ý kiến (60%) đến cơ quan có thẩm quyền xem xét, giải quyết.");
    // Next week the members are asked again with last week's figure.
    h.clock.set("2026-12-09T09:00:00+07:00");
    expect(last(await h.say(tu, "/baocao mts")).text).toContain("Lần trước, tuần 49/2026 (30/11–06/12): 350 thành viên.");
  });
});
