// /sua and staff corrections pass the form's hard rules and soft warnings, with the form's own confirmation.
import { afterEach, describe, expect, it } from "vitest";
import { FULL_FORM_ANSWERS, GROUP, Harness, type Sent } from "../support/harness.js";

const tu = { id: "101", name: "Tư" };
const minh = { id: "103", name: "Minh" };
const AREA = "25747-01";
const NOV = "2026-M11";

let h: Harness;
afterEach(() => h?.close());

function setup(): Harness {
  h = new Harness();
  h.link(GROUP, "25747");
  h.grant(minh, "commune_staff", "25747");
  h.grant(tu, "reporter", AREA);
  return h;
}

async function fillForm(answers = FULL_FORM_ANSWERS): Promise<void> {
  await h.say(tu, "/baocao");
  for (const a of answers) await h.say(tu, a);
}

const only = (sent: Sent[]): Sent => {
  const chat = sent.filter((s) => s.text);
  expect(chat).toHaveLength(1);
  return chat[0]!;
};

const history = () => h.core.db.prepare("SELECT field_id, old_json, new_json, by_name FROM answer_history ORDER BY id").all();

describe("/sua under the form's rules", () => {
  it("warns like the form on 3.850 → 40.000 attendees, stores nothing until confirmed, then posts a new draft", async () => {
    setup();
    await fillForm();
    const warn = only(await h.say(tu, "/sua 2 40000"));
    expect(warn.text).toContain("Trung bình mỗi buổi có 3.333 người dự (40.000 lượt / 12 buổi), con số này khá cao.");
    expect(warn.text).toContain("Anh/chị xác nhận con số này đúng chứ?");
    expect(warn.choices!.flat().map((c) => c.data)).toEqual(["ok:1", "ok:0"]);
    expect(warn.question).toMatchObject({ kind: "confirm", topic: "edit", fields: ["tt_luot_nguoi"], values: { tt_luot_nguoi: 40000 } });
    expect(h.answers(AREA, NOV)).toMatchObject({ tt_luot_nguoi: 3850 });
    expect(history()).toEqual([]);

    const done = await h.press(tu, warn.messageId, "ok:1");
    const draft = done.find((s) => s.file)!;
    expect(draft.text).toContain("Đã sửa “Số lượt người tham dự”: 3.850 lượt người → 40.000 lượt người.");
    expect(h.answers(AREA, NOV)).toMatchObject({ tt_luot_nguoi: 40000 });
    expect(history()).toEqual([{ field_id: "tt_luot_nguoi", old_json: "3850", new_json: "40000", by_name: "Tư" }]);
  });

  it("“không” to the warning asks for the value again; a plausible one is stored without a question", async () => {
    setup();
    await fillForm();
    await h.say(tu, "/sua 2 40000");
    const again = only(await h.say(tu, "không"));
    expect(again.text).toContain("Dạ, anh/chị nhập lại giúp em.");
    expect(again.text).toContain("Nhập giá trị mới cho “Số lượt người tham dự” (hiện tại: 3.850 lượt người)");
    const stored = await h.say(tu, "4000");
    expect(stored.find((s) => s.file)!.text).toContain("3.850 lượt người → 4.000 lượt người");
    expect(h.answers(AREA, NOV)).toMatchObject({ tt_luot_nguoi: 4000 });
  });

  it("warns on a jump over the previous period", async () => {
    setup();
    await h.say(minh, "/moky tháng 10/2026");
    await fillForm(["12 buổi, 350 người", ...FULL_FORM_ANSWERS.slice(1)]);
    await h.say(minh, "/moky tự động");
    await fillForm(["12 buổi, 360 người", ...FULL_FORM_ANSWERS.slice(1)]);
    const warn = only(await h.say(tu, "/sua 2 4000"));
    expect(warn.text).toContain("Số lượt người tham dự: 4.000 lượt người, gấp 11 lần kỳ trước (350 lượt người).");
    expect(h.answers(AREA, NOV)).toMatchObject({ tt_luot_nguoi: 360 });
  });

  it("refuses a hard rule with the rule's words, keeps asking for the value, and stores a valid retype", async () => {
    setup();
    await fillForm();
    const refused = only(await h.say(tu, "/sua 5 20"));
    expect(refused.text).toContain("Số vụ hòa giải thành (20) không thể lớn hơn số vụ tiếp nhận (15).");
    expect(refused.text).toContain("nhập lại giá trị mới");
    expect(h.answers(AREA, NOV)).toMatchObject({ hg_thanh: 10 });
    const also = only(await h.say(tu, "14"));
    expect(also.text).toContain("Số vụ hòa giải thành (14) cộng không thành (5) không thể lớn hơn số vụ tiếp nhận (15).");
    const ok = await h.say(tu, "9");
    expect(ok.find((s) => s.file)!.text).toContain("Đã sửa “Số vụ hòa giải thành”: 10 vụ → 9 vụ.");
    expect(h.answers(AREA, NOV)).toMatchObject({ hg_thanh: 9 });
  });

  it("the staff's /sua <khu> passes the same rules, and the change is recorded under the staff member", async () => {
    setup();
    await fillForm();
    const warn = only(await h.say(minh, "/sua 1 2 40000"));
    expect(warn.text).toContain("Trung bình mỗi buổi có 3.333 người dự");
    // The leader cannot confirm the staff member's correction.
    const foreign = await h.press(tu, warn.messageId, "ok:1");
    expect(foreign[0]!.callback!.text).toContain("dành cho Minh");
    expect(h.answers(AREA, NOV)).toMatchObject({ tt_luot_nguoi: 3850 });
    await h.press(minh, warn.messageId, "ok:1");
    expect(h.answers(AREA, NOV)).toMatchObject({ tt_luot_nguoi: 40000 });
    expect(history()).toEqual([{ field_id: "tt_luot_nguoi", old_json: "3850", new_json: "40000", by_name: "Minh" }]);
    const refused = only(await h.say(minh, "/sua 1 5 99"));
    expect(refused.text).toContain("Số vụ hòa giải thành (99) không thể lớn hơn số vụ tiếp nhận (15).");
  });

  it("a yes/no or a choice is corrected with the form's buttons", async () => {
    setup();
    await fillForm();
    const ask = only(await h.say(tu, "/sua 3"));
    expect(ask.question).toMatchObject({ kind: "choice", topic: "edit", fields: ["tt_hinh_thuc"] });
    expect(ask.choices!.flat().map((c) => c.data)).toContain("v:tt_hinh_thuc:loa");
    await h.press(tu, ask.messageId, "v:tt_hinh_thuc:loa");
    expect(h.answers(AREA, NOV)).toMatchObject({ tt_hinh_thuc: "loa" });
  });
});
