import { describe, expect, it } from "vitest";
import { compatible, fromTelex, fromVni, marksOf } from "../../src/core/numbers/keyboard.js";
import { tokenize } from "../../src/core/numbers/tokens.js";
import { BASE_LEXICON } from "../../src/core/numbers/vocabulary.js";
import { makeLexicon } from "../../src/core/numbers/lexicon.js";
import { parseCount, parseMoney, parseYesNo } from "../../src/core/numbers/parse.js";

const words = (text: string, lexicon = BASE_LEXICON) => tokenize(text, lexicon).map((t) => t.raw);
const formLexicon = makeLexicon([], ["buổi", "người", "vụ", "hộ", "đơn", "điểm", "đại biểu", "cử tri", "lượt", "tiếp", "dân"], BASE_LEXICON);

describe("Telex and VNI leftovers", () => {
  it("decodes Telex keys into letters, marks and tone", () => {
    expect(fromTelex("nguwowif")).toEqual(marksOf("người"));
    expect(fromTelex("trieeuj")).toEqual(marksOf("triệu"));
    expect(fromTelex("ddown")).toEqual(marksOf("đơn"));
    expect(fromTelex("khong")).toBeUndefined();
    expect(fromTelex("buoi")).toBeUndefined();
  });

  it("decodes VNI digits into letters, marks and tone", () => {
    expect(fromVni("ngu7o72i")).toEqual(marksOf("người"));
    expect(fromVni("trie65u")).toEqual(marksOf("triệu"));
    expect(fromVni("l2")).toBeUndefined();
  });

  it("accepts a decoding with fewer marks but the same tone, never another tone", () => {
    expect(compatible(fromTelex("trieuj")!, marksOf("triệu"))).toBe(true);
    expect(compatible(fromTelex("baf")!, marksOf("ba"))).toBe(false);
    expect(compatible(fromTelex("tramf")!, marksOf("trăm"))).toBe(false);
  });

  it("repairs leftovers into the known word they stand for", () => {
    expect(words("15 trieuj")).toEqual(["15", "triệu"]);
    expect(words("2 tyr")).toEqual(["2", "tỷ"]);
    expect(words("cos")).toEqual(["có"]);
    expect(words("350 nguoif", formLexicon)).toEqual(["350", "người"]);
    expect(words("350 ngu7o72i", formLexicon)).toEqual(["350", "người"]);
    expect(words("12 ho65", formLexicon)).toEqual(["12", "hộ"]);
    expect(words("15 trieeu")).toEqual(["15", "triệu"]);
    expect(words("350 nguoii", formLexicon)).toEqual(["350", "người"]);
  });

  it("leaves alone what is not a leftover: tones that change a number word, codes, numbers glued to letters", () => {
    expect(words("baf")).toEqual(["baf"]);
    expect(words("1tr5")).toEqual(["1", "tr", "5"]);
    expect(words("nguoi2", formLexicon)).toEqual(["nguoi", "2"]);
    expect(words("12h30")).toEqual(["12", "h", "30"]);
  });

  it("reads figures through the repair", () => {
    expect(parseMoney("15 trieuj")).toEqual({ ok: true, value: 15_000_000 });
    expect(parseMoney("15 trie65u")).toEqual({ ok: true, value: 15_000_000 });
    expect(parseYesNo("khoong")).toBe(false);
    expect(parseYesNo("cos")).toBe(true);
  });
});

describe("sizes said in words after digits", () => {
  it.each([
    ["2 trăm", 200],
    ["2tram", 200],
    ["3 trăm rưỡi", 350],
    ["3 trăm 5", 350],
    ["1 trăm linh 5", 105],
    ["2 chục", 20],
    ["1k2", 1200],
    ["1 nghìn 2", 1200],
    ["trăm rưỡi", 150],
  ])("counts %j as %s", (text, value) => {
    expect(parseCount(text)).toEqual({ ok: true, value });
  });

  it.each([
    ["1.500k", 1_500_000],
    ["1.200 nghìn", 1_200_000],
    ["15 triệu 2 trăm", 15_200_000],
    ["hai triệu năm trăm", 2_500_000],
    ["1 triệu hai", 1_200_000],
    ["8 trăm nghìn", 800_000],
    ["5 chục nghìn", 50_000],
  ])("reads the amount %j as %s", (text, value) => {
    expect(parseMoney(text)).toEqual({ ok: true, value });
  });

  it("never turns an unknown word after bare digits into đồng", () => {
    expect(parseMoney("15 lít").ok).toBe(false);
    expect(parseMoney("15 chai").ok).toBe(false);
  });
});

describe("a zero typed for the letter o", () => {
  it("reads “bu0i” as buổi when the word is known, and leaves figures alone", () => {
    expect(words("12 bu0i", formLexicon)).toEqual(["12", "buổi"]);
    expect(words("10 buoi", formLexicon)).toEqual(["10", "buoi"]);
    expect(words("a0b", formLexicon)).toEqual(["a", "0", "b"]);
  });
});
