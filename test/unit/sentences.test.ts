import { describe, expect, it } from "vitest";
import { asListItems, asSentences, upperFirst } from "../../src/core/report/sentences.js";

describe("free text as a report prints it", () => {
  it("starts with a capital and ends with a full stop", () => {
    expect(asSentences("thiếu kinh phí hoạt động")).toBe("Thiếu kinh phí hoạt động.");
    expect(asSentences("  đề nghị hỗ trợ thêm tài liệu,  ")).toBe("Đề nghị hỗ trợ thêm tài liệu.");
    expect(asSentences("ấp xa trung tâm;")).toBe("Ấp xa trung tâm.");
  });

  it("keeps a sentence's own closing mark and everything but the first letter", () => {
    expect(asSentences("Kinh phí còn hạn chế.")).toBe("Kinh phí còn hạn chế.");
    expect(asSentences("đề nghị UBND xã hỗ trợ?")).toBe("Đề nghị UBND xã hỗ trợ?");
    expect(asSentences("chờ ý kiến…")).toBe("Chờ ý kiến…");
    expect(asSentences("UBND xã chậm trả lời")).toBe("UBND xã chậm trả lời.");
  });

  it("makes each typed line a sentence, without the bullets people type", () => {
    expect(asSentences("- thiếu kinh phí\n- thiếu   người\r\n\n")).toBe("Thiếu kinh phí. Thiếu người.");
    expect(asSentences("• loa hỏng\n* chưa có tủ sách")).toBe("Loa hỏng. Chưa có tủ sách.");
  });

  it("leaves nothing when nothing readable was typed", () => {
    expect(asSentences("")).toBe("");
    expect(asSentences(" - \n ... ")).toBe("");
  });

  it("capitalises the first letter after quotes, never a word after a figure", () => {
    expect(upperFirst("“đèn đường” hỏng")).toBe("“Đèn đường” hỏng");
    expect(upperFirst("12 hộ chưa")).toBe("12 hộ chưa");
    expect(asSentences("12 hộ chưa được hỗ trợ")).toBe("12 hộ chưa được hỗ trợ.");
    expect(upperFirst("😀")).toBe("😀");
  });

  it("ends list items with ';' and the last with '.'", () => {
    expect(asListItems(["Ấp Bến Đò: Thiếu kinh phí.", "ấp Cây Dầu: Thiếu người;", "Ấp Sóc Ruộng: Loa hỏng!"])).toEqual([
      "Ấp Bến Đò: Thiếu kinh phí;",
      "Ấp Cây Dầu: Thiếu người;",
      "Ấp Sóc Ruộng: Loa hỏng.",
    ]);
    expect(asListItems(["Một mục"])).toEqual(["Một mục."]);
    expect(asListItems([])).toEqual([]);
  });
});
