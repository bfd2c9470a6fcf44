import { describe, expect, it } from "vitest";
import { formatDecimal, formatInt, formatMoney, formatPercent } from "../../src/core/numbers/format.js";
import { canonicalChars, foldText, stripDiacritics, toAsciiDigits } from "../../src/core/numbers/normalize.js";
import {
  extractNumbers,
  parseCount,
  parseMoney,
  parsePercent,
  parseYesNo,
  type ParseFailure,
  type ParseResult,
} from "../../src/core/numbers/parse.js";

const ok = (value: number): ParseResult => ({ ok: true, value });
const no = (reason: ParseFailure): ParseResult => ({ ok: false, reason });

// -------------------------------------------------------------------------------------------------
describe("foldText", () => {
  it.each([
    ["Mười HAI", "muoi hai"],
    ["  mười   hai \n buổi\t", "muoi hai buoi"],
    ["Đồng ĐỒNG đ", "dong dong d"],
    ["Nguyễn Thị Ánh Tuyết", "nguyen thi anh tuyet"],
    ["Hoà giải thành", "hoa giai thanh"],
    ["Tỷ lệ 66,7%", "ty le 66,7%"],
    ["１２ buổi", "12 buoi"], // fullwidth digits (NFKC)
    ["٣٨٥٠", "3850"], // Arabic-Indic
    ["۱۲", "12"], // Extended Arabic-Indic (Persian)
    ["३८५०", "3850"], // Devanagari
    ["๑๒", "12"], // Thai
    ["𝟏𝟐", "12"], // mathematical bold digits
    ["x²", "x2"], // superscript (NFKC)
    ["a\u00a0b", "a b"], // no-break space
    ["a\u200bb", "ab"], // zero-width space from copy-paste
    ["Ｈａｉ", "hai"], // fullwidth letters
    ["", ""],
    ["   ", ""],
  ])("foldText(%j) = %j", (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it("makes texts typed with and without diacritics equal", () => {
    expect(foldText("Ba nghìn tám trăm năm mươi")).toBe(foldText("ba nghin tam tram nam muoi"));
  });

  it("keeps diacritics in canonicalChars but maps digits and case", () => {
    expect(canonicalChars("SÁU １２")).toBe("sáu 12");
  });

  it("stripDiacritics and toAsciiDigits work on their own", () => {
    expect(stripDiacritics("Đường Lê Lợi")).toBe("Duong Le Loi");
    expect(toAsciiDigits("٠١٢٣٤٥٦٧٨٩")).toBe("0123456789");
    expect(toAsciiDigits("০১২৩৪৫৬৭৮৯")).toBe("0123456789"); // Bengali
  });

  it("handles a 5,000-character string quickly", () => {
    const long = "Ằ ".repeat(2500);
    expect(foldText(long)).toBe(Array(2500).fill("a").join(" "));
  });
});

// -------------------------------------------------------------------------------------------------
describe("formatInt", () => {
  it.each([
    [0, "0"],
    [7, "7"],
    [999, "999"],
    [1000, "1.000"],
    [1733, "1.733"],
    [3850, "3.850"],
    [15_000_000, "15.000.000"],
    [1_000_000_000_000, "1.000.000.000.000"],
    [-3850, "-3.850"],
    [-0, "0"],
    [2.5, "3"],
    [-2.5, "-3"],
    [1733.4, "1.733"],
    [1e21, "1.000.000.000.000.000.000.000"],
  ])("formatInt(%s) = %s", (n, expected) => {
    expect(formatInt(n)).toBe(expected);
  });

  it("writes whole numbers as the rounding of their decimal digits does", () => {
    const samples = [0, -0, 1, -1, 9, 10, 99, 100, 101, 999, 1001, 12_345, -12_345, 100_000, 999_999, 1_000_001, 2 ** 31, -(2 ** 31), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    for (let n = 1; n < 1e15; n = n * 7 + 3) samples.push(n, -n);
    for (const n of samples) expect(formatInt(n), String(n)).toBe(formatDecimal(n, 0));
  });

  it("accepts bigint", () => {
    expect(formatInt(123456789012345678901234567890n)).toBe("123.456.789.012.345.678.901.234.567.890");
    expect(formatInt(-1000n)).toBe("-1.000");
  });

  it.each([NaN, Infinity, -Infinity])("throws on %s", (n) => {
    expect(() => formatInt(n)).toThrow(RangeError);
  });
});

describe("formatDecimal", () => {
  it.each([
    [66.666, 1, "66,7"],
    [50, 1, "50"],
    [83.333, 2, "83,33"],
    [83.3, 2, "83,3"],
    [1.005, 2, "1,01"], // decimal rounding, not binary (toFixed gives 1.00)
    [0.05, 1, "0,1"],
    [9.96, 1, "10"],
    [99.95, 1, "100"],
    [0.1 + 0.2, 2, "0,3"],
    [1234567.891, 2, "1.234.567,89"],
    [-66.666, 1, "-66,7"],
    [-0.04, 1, "0"],
    [1e-7, 2, "0"],
    [12.345, 0, "12"],
  ])("formatDecimal(%s, %s) = %s", (n, digits, expected) => {
    expect(formatDecimal(n, digits)).toBe(expected);
  });

  it("defaults to one fraction digit", () => {
    expect(formatDecimal(66.666)).toBe("66,7");
  });

  it("rejects bad arguments", () => {
    expect(() => formatDecimal(NaN, 1)).toThrow(RangeError);
    expect(() => formatDecimal(1, -1)).toThrow(RangeError);
    expect(() => formatDecimal(1, 1.5)).toThrow(RangeError);
    expect(() => formatDecimal(1, 21)).toThrow(RangeError);
  });
});

describe("formatPercent and formatMoney", () => {
  it.each([
    [66.666, undefined, "66,7%"],
    [83.333, 2, "83,33%"],
    [100, undefined, "100%"],
    [0, undefined, "0%"],
    [50, 1, "50%"],
  ])("formatPercent(%s, %s) = %s", (n, digits, expected) => {
    expect(formatPercent(n, digits)).toBe(expected);
  });

  it.each([
    [15_000_000, "15.000.000"],
    [500_000, "500.000"],
    [0, "0"],
    [-500_000, "-500.000"],
    [1234.5, "1.235"],
  ])("formatMoney(%s) = %s", (n, expected) => {
    expect(formatMoney(n)).toBe(expected);
  });

  it("throws on non-finite values", () => {
    expect(() => formatPercent(Infinity)).toThrow(RangeError);
    expect(() => formatMoney(NaN)).toThrow(RangeError);
  });
});

// -------------------------------------------------------------------------------------------------
describe("parseCount", () => {
  it.each([
    ["3850", 3850],
    ["3.850", 3850],
    ["3,850", 3850],
    ["3 850", 3850],
    ["1 500 000", 1_500_000],
    ["1\u00a0500", 1500],
    ["07", 7],
    ["0", 0],
    ["12 buổi", 12],
    ["12buoi", 12],
    ["khoảng 200", 200],
    ["tầm 200", 200],
    ["350 người", 350],
    ["được 12 buoi", 12],
    ["12.", 12],
    ["3.850.", 3850],
    ["+5", 5],
    ["-0", 0],
    ["5,0", 5],
    ["1.000.000", 1_000_000],
    ["1000000000000", 1e12],
    ["1.000.000.000.000", 1e12],
    ["<b>12</b>", 12],
    ["12 👍", 12],
    ["12 (mười hai)", 12],
    ["12 buổi 12 buổi", 12],
    ["3 nghìn", 3000],
    ["1.5 nghìn", 1500],
    ["3k", 3000],
  ])("reads %j as %s", (text, value) => {
    expect(parseCount(text)).toEqual(ok(value));
  });

  it.each([
    ["１２", 12],
    ["٣٨٥٠", 3850],
    ["३८५०", 3850],
    ["๑๒", 12],
    ["𝟏𝟐", 12],
    ["12\u200b", 12],
  ])("reads lookalike/foreign digits %j as %s", (text, value) => {
    expect(parseCount(text)).toEqual(ok(value));
  });

  it.each([
    "0",
    "không",
    "khong",
    "Không",
    "ko",
    "k",
    "không có",
    "chưa có",
    "chua",
    "chưa",
    "none",
    "không có gì",
    "không có ai",
    "không có buổi nào",
    "dạ không có ạ",
    "chưa tổ chức",
    "ko co",
    "tiếp nhận không",
    // Regional and abbreviated ways of saying none.
    "hông",
    "hông có",
    "hổng có",
    "hok",
    "hem",
    "khg",
    "kg",
    "zero",
    "trống",
    "k co",
    "không có tranh chấp",
    "không tổ chức được do dịch",
  ])("reads the zero answer %j as 0", (text) => {
    expect(parseCount(text)).toEqual(ok(0));
  });

  it.each([
    ["mười hai", 12],
    ["muoi hai", 12],
    ["mười", 10],
    ["mười lăm", 15],
    ["hai mươi", 20],
    ["hai mươi lăm", 25],
    ["hai muoi lam", 25],
    ["hai mươi mốt", 21],
    ["hai mươi tư", 24],
    ["hai chục", 20],
    ["một trăm linh năm", 105],
    ["một trăm lẻ năm", 105],
    ["mot tram le nam", 105],
    ["một trăm linh tư", 104],
    ["hai trăm mốt", 210],
    ["một trăm rưỡi", 150],
    ["ba nghìn tám trăm năm mươi", 3850],
    ["ba ngàn tám trăm năm mươi", 3850],
    ["ba nghin tam tram nam muoi", 3850],
    ["ba nghìn tám", 3800],
    ["một nghìn không trăm năm mươi", 1050],
    ["một nghìn linh năm", 1005],
    ["hai triệu", 2_000_000],
    ["hai buổi", 2],
    ["sáu buổi", 6],
    ["năm", 5],
    ["khoảng năm", 5],
  ])("reads the spelled-out number %j as %s", (text, value) => {
    expect(parseCount(text)).toEqual(ok(value));
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["\n\t", "empty"],
    ["<b></b>", "empty"],
    ["-5", "negative"],
    ["−5", "negative"],
    ["(-5)", "negative"],
    ["2,5", "not_integer"],
    ["12.5", "not_integer"],
    ["0,5", "not_integer"],
    ["0.500", "not_integer"],
    ["3.850,5", "not_integer"],
    ["3,850.5", "not_integer"],
    ["1000000000001", "too_large"],
    ["2000000000000", "too_large"],
    ["1.000.000.000.001", "too_large"],
    ["9".repeat(50), "too_large"],
    ["9".repeat(5000), "too_large"],
    ["12 và 15", "several_numbers"],
    ["12 15", "several_numbers"],
    ["12-15", "several_numbers"],
    ["12\n15", "several_numbers"],
    ["12 buổi 350 người", "several_numbers"],
    // A date is not a figure at all.
    ["06/02/2024", "not_a_number"],
    ["hai ba", "several_numbers"],
    ["12 năm", "ok"],
    ["abc", "not_a_number"],
    ["🙂", "not_a_number"],
    ["🙂🙂🙂", "not_a_number"],
    ["...", "not_a_number"],
    ["1e9", "not_a_number"],
    ["Infinity", "not_a_number"],
    ["NaN", "not_a_number"],
    ["0x10", "not_a_number"],
    ["12h30", "not_a_number"],
    ["1.2.3", "not_a_number"],
    ["l2", "not_a_number"],
    ["1O", "not_a_number"],
    ["O", "not_a_number"],
    ["không biết", "not_a_number"],
    ["chưa có số liệu", "not_a_number"],
    ["để sau", "not_a_number"],
    ["một số hộ", "not_a_number"],
    ["thứ hai", "not_a_number"],
    ["chúa", "not_a_number"],
    ["1tr5", "not_a_number"],
    ["a".repeat(5000), "not_a_number"],
    ["1".repeat(30_000), "not_a_number"],
  ])("%j → %s", (text, reason) => {
    const result = parseCount(text);
    if (reason === "ok") expect(result.ok).toBe(true);
    else expect(result).toEqual(no(reason as ParseFailure));
  });

  it("reads '12 năm' as 12: 'năm' next to digits means year, not five", () => {
    expect(parseCount("12 năm")).toEqual(ok(12));
  });

  it("reads 'không thành 5' as 5: a zero word with a number is a label", () => {
    expect(parseCount("không thành 5")).toEqual(ok(5));
  });

  it("finds the number in a 5,000-character message", () => {
    expect(parseCount(`${" ".repeat(2500)}12 buổi${" ".repeat(2500)}`)).toEqual(ok(12));
    expect(parseCount(`${"ạ ".repeat(2500)}12`)).toEqual(ok(12));
    expect(parseCount("hai ".repeat(1250))).toEqual(ok(2));
  });

  it("stays fast on long adversarial input", () => {
    const inputs = ["1.".repeat(2500), "<a ".repeat(1666), "mot ".repeat(5000), "không ".repeat(1250), "1 ".repeat(2500)];
    const started = Date.now();
    for (const text of inputs) parseCount(text);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

// -------------------------------------------------------------------------------------------------
describe("parseMoney", () => {
  it.each([
    ["15000000", 15_000_000],
    ["15.000.000", 15_000_000],
    ["15,000,000", 15_000_000],
    ["15 000 000", 15_000_000],
    ["15 triệu", 15_000_000],
    ["15 trieu", 15_000_000],
    ["15tr", 15_000_000],
    ["15 tr", 15_000_000],
    ["15TR", 15_000_000],
    ["1,5 triệu", 1_500_000],
    ["1.5 triệu", 1_500_000],
    // A dot before three digits groups thousands, also before a multiplier: 1.500 triệu is 1,5 tỷ.
    ["1.500 triệu", 1_500_000_000],
    ["1.500k", 1_500_000],
    ["1.200 nghìn", 1_200_000],
    ["1,500 triệu", 1_500_000],
    ["1tr5", 1_500_000],
    ["2tr500", 2_500_000],
    ["1tr05", 1_050_000],
    ["1k5", 1500],
    ["500k", 500_000],
    ["500 k", 500_000],
    ["500 nghìn", 500_000],
    ["500 ngàn", 500_000],
    ["500 ngan", 500_000],
    ["500n", 500_000],
    ["1 tỷ", 1_000_000_000],
    ["1 tỉ", 1_000_000_000],
    ["1 ty", 1_000_000_000],
    ["1,2 tỷ", 1_200_000_000],
    ["15 triệu đồng", 15_000_000],
    ["15.000.000đ", 15_000_000],
    ["15.000.000 đ", 15_000_000],
    ["15.000.000 đồng", 15_000_000],
    ["3.000.000 VNĐ", 3_000_000],
    ["mười lăm triệu", 15_000_000],
    ["muoi lam trieu", 15_000_000],
    ["2 triệu 500 nghìn", 2_500_000],
    ["1 tỷ 200 triệu", 1_200_000_000],
    ["1 triệu 2", 1_200_000],
    ["15 triệu 500", 15_500_000],
    ["2 triệu rưỡi", 2_500_000],
    ["2tr rưỡi", 2_500_000],
    ["hai triệu rưỡi", 2_500_000],
    ["một triệu hai", 1_200_000],
    ["một tỷ hai trăm triệu", 1_200_000_000],
    ["một nghìn tỷ", 1e12],
    ["15 củ", 15_000_000],
    ["1,2345 triệu", 1_234_500],
    ["thu được 15tr", 15_000_000],
    ["0", 0],
    ["không", 0],
    ["ko", 0],
    ["k", 0],
    ["không có", 0],
    ["chưa có", 0],
  ])("reads %j as %s", (text, value) => {
    expect(parseMoney(text)).toEqual(ok(value));
  });

  it.each([
    ["", "empty"],
    ["-500k", "negative"],
    ["-15.000.000", "negative"],
    ["1.5", "not_integer"],
    ["1,2345678 triệu", "not_integer"],
    ["2000 tỷ", "too_large"],
    ["1.000.001 triệu", "too_large"],
    ["15tr và 10tr", "several_numbers"],
    ["thu 15tr chi 10tr", "several_numbers"],
    ["abc", "not_a_number"],
    ["💰", "not_a_number"],
    ["1e9", "not_a_number"],
    ["0x10", "not_a_number"],
  ])("%j → %s", (text, reason) => {
    expect(parseMoney(text)).toEqual(no(reason as ParseFailure));
  });

  it("keeps counts and money apart: 'tr' is a money word only", () => {
    expect(parseMoney("1tr5")).toEqual(ok(1_500_000));
    expect(parseCount("1tr5")).toEqual(no("not_a_number"));
    expect(parseCount("15 củ")).toEqual(ok(15));
  });
});

// -------------------------------------------------------------------------------------------------
describe("parsePercent", () => {
  it.each([
    ["66,7%", 66.7],
    ["66.7 %", 66.7],
    ["66,7", 66.7],
    ["66.7", 66.7],
    ["83,33%", 83.33],
    ["83,333", 83.333],
    ["100%", 100],
    ["100", 100],
    ["0%", 0],
    ["0,5%", 0.5],
    ["không", 0],
    ["66,67 phần trăm", 66.67],
    ["năm mươi phần trăm", 50],
    ["đạt 90%", 90],
    // A percentage never needs thousands, so a lone separator is always the decimal point.
    ["3.850", 3.85],
  ])("reads %j as %s", (text, value) => {
    expect(parsePercent(text)).toEqual(ok(value));
  });

  it.each([
    ["", "empty"],
    ["-3%", "negative"],
    ["100,5%", "too_large"],
    ["101", "too_large"],
    ["3.850,5", "too_large"],
    ["12 và 13%", "several_numbers"],
    ["abc%", "not_a_number"],
    ["%", "not_a_number"],
    ["1e2", "not_a_number"],
  ])("%j → %s", (text, reason) => {
    expect(parsePercent(text)).toEqual(no(reason as ParseFailure));
  });
});

// -------------------------------------------------------------------------------------------------
describe("parseYesNo", () => {
  it.each([
    "có", "Có", "co", "c", "C", "rồi", "roi", "có rồi", "có tổ chức", "dạ có", "có ạ", "yes", "ok", "OK",
    "đúng", "dung", "vâng", "dạ", "đã tổ chức", "✅", "👍", "👍🏻", "có 👍",
  ])("%j is yes", (text) => {
    expect(parseYesNo(text)).toBe(true);
  });

  it.each([
    "không", "Không", "khong", "ko", "k", "chưa", "chua", "không có", "chưa có", "không tổ chức",
    "dạ không", "dạ chưa ạ", "no", "❌", "👎",
  ])("%j is no", (text) => {
    expect(parseYesNo(text)).toBe(false);
  });

  it.each([
    "", "1", "0", "12", "có không", "không biết", "chưa rõ", "cô", "dùng", "abc", "🙂", "✅❌", "có ❌",
    "a".repeat(5000),
  ])("%j is neither", (text) => {
    expect(parseYesNo(text)).toBeUndefined();
  });
});

// -------------------------------------------------------------------------------------------------
describe("extractNumbers", () => {
  it("reads '12 buoi 3.850 nguoi'", () => {
    expect(extractNumbers("12 buoi 3.850 nguoi")).toEqual([
      { value: 12, before: "", after: "buoi" },
      { value: 3850, before: "buoi", after: "nguoi" },
    ]);
  });

  it("reads '12 buổi, 350 lượt' with the comma as a separator", () => {
    expect(extractNumbers("12 buổi, 350 lượt")).toEqual([
      { value: 12, before: "", after: "buoi" },
      { value: 350, before: "", after: "luot" },
    ]);
  });

  it("reads 'không thành 5' as a label, not as zero", () => {
    expect(extractNumbers("15 vụ, thành 10, không thành 5")).toEqual([
      { value: 15, before: "", after: "vu" },
      { value: 10, before: "thanh", after: "" },
      { value: 5, before: "khong thanh", after: "" },
    ]);
  });

  it("keeps money multipliers inside the number", () => {
    expect(extractNumbers("thu 15tr, chi 10 triệu, giúp 12 hộ")).toEqual([
      { value: 15_000_000, before: "thu", after: "" },
      { value: 10_000_000, before: "chi", after: "" },
      { value: 12, before: "giup", after: "ho" },
    ]);
    expect(extractNumbers("thu 1tr5 chi 2 triệu 500 nghìn")).toEqual([
      { value: 1_500_000, before: "thu", after: "chi" },
      { value: 2_500_000, before: "chi", after: "" },
    ]);
  });

  it("reads '2 diem 5 dai bieu 454 cu tri' without taking 'cu' for a multiplier", () => {
    expect(extractNumbers("2 diem 5 dai bieu 454 cu tri")).toEqual([
      { value: 2, before: "", after: "diem" },
      { value: 5, before: "diem", after: "dai bieu" },
      { value: 454, before: "dai bieu", after: "cu tri" },
    ]);
  });

  it("splits space-separated digits into separate numbers", () => {
    expect(extractNumbers("12 350").map((n) => n.value)).toEqual([12, 350]);
    expect(extractNumbers("3.850 3,850").map((n) => n.value)).toEqual([3850, 3850]);
  });

  it("reads zero words alone in a segment as 0", () => {
    expect(extractNumbers("tiếp nhận 0, thành không")).toEqual([
      { value: 0, before: "tiep nhan", after: "" },
      { value: 0, before: "thanh", after: "" },
    ]);
    expect(extractNumbers("không")).toEqual([{ value: 0, before: "", after: "" }]);
    expect(extractNumbers("12 buổi; ko")).toEqual([
      { value: 12, before: "", after: "buoi" },
      { value: 0, before: "", after: "" },
    ]);
  });

  it("ignores segments without a figure", () => {
    expect(extractNumbers("không thành")).toEqual([]);
    expect(extractNumbers("chào anh, 12 buổi")).toEqual([{ value: 12, before: "", after: "buoi" }]);
  });

  it("splits at line breaks, semicolons and sentence ends", () => {
    expect(extractNumbers("tỷ lệ 66,7%\n12 buổi")).toEqual([
      { value: 66.7, before: "ty le", after: "%" },
      { value: 12, before: "", after: "buoi" },
    ]);
    expect(extractNumbers("12 buổi. 350 người; 5 hộ").map((n) => [n.value, n.before])).toEqual([
      [12, ""],
      [350, ""],
      [5, ""],
    ]);
  });

  it("reads spelled-out numbers of two words or more", () => {
    expect(extractNumbers("mười hai buổi, ba trăm người")).toEqual([
      { value: 12, before: "", after: "buoi" },
      { value: 300, before: "", after: "nguoi" },
    ]);
  });

  it("does not take 'nam' (male) or 'năm' (year) for five", () => {
    expect(extractNumbers("12 nam 15 nu")).toEqual([
      { value: 12, before: "", after: "nam" },
      { value: 15, before: "nam", after: "nu" },
    ]);
    expect(extractNumbers("năm nay 12 buổi").map((n) => n.value)).toEqual([12]);
  });

  it("keeps the sign, decimals and markup-free text", () => {
    expect(extractNumbers("<b>12</b> buổi")).toEqual([{ value: 12, before: "", after: "buoi" }]);
    expect(extractNumbers("giảm -5 hộ")).toEqual([{ value: -5, before: "giam", after: "ho" }]);
    expect(extractNumbers("đạt 2,5 lần")).toEqual([{ value: 2.5, before: "dat", after: "lan" }]);
  });

  it("does not drop parts of an unreadable literal", () => {
    expect(extractNumbers("06.02.2024").map((n) => n.value)).toEqual([6, 2, 2024]);
  });

  it("returns nothing for empty or number-free text", () => {
    expect(extractNumbers("")).toEqual([]);
    expect(extractNumbers("🙂 cảm ơn")).toEqual([]);
  });

  it("handles long messages", () => {
    const text = "12 buoi, ".repeat(555);
    const found = extractNumbers(text);
    expect(found).toHaveLength(555);
    expect(found.every((n) => n.value === 12 && n.after === "buoi")).toBe(true);
  });
});
