/**
 * The words the number reader knows: spellings of number words and multipliers, zero words of every
 * region, courtesy words, approximations and hedges. Matching is on folded (diacritic-free) forms; where a
 * tone changes the meaning, the correct spellings are listed so "trạm" (station) is not "trăm" (hundred).
 */
import { makeLexicon, type Lexicon } from "./lexicon.js";
import type { Token } from "./tokens.js";

/**
 * Correct Vietnamese spellings of the strict words, by folded form. A typed word matches a folded word when
 * it has no diacritics at all (typed on a bare keyboard) or is one of these spellings; "sáu"/"sau" both
 * mean six but "trạm" is not "trăm".
 */
export const SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  khong: ["không"],
  mot: ["một", "mốt"],
  hai: ["hai"],
  ba: ["ba"],
  bon: ["bốn"],
  tu: ["tư"],
  nam: ["năm"],
  lam: ["lăm"],
  nham: ["nhăm"],
  sau: ["sáu"],
  bay: ["bảy", "bẩy"],
  tam: ["tám"],
  chin: ["chín"],
  muoi: ["mười", "mươi"],
  chuc: ["chục"],
  tram: ["trăm"],
  linh: ["linh"],
  le: ["lẻ"],
  ruoi: ["rưỡi"],
  nghin: ["nghìn"],
  ngan: ["ngàn"],
  trieu: ["triệu"],
  ty: ["tỷ"],
  ti: ["tỉ"],
  cu: ["củ"],
  chua: ["chưa"],
  hong: ["hông", "hổng"],
  chang: ["chẳng"],
  co: ["có"],
  roi: ["rồi"],
  dung: ["đúng"],
  vang: ["vâng"],
  duoc: ["được"],
  phai: ["phải"],
  u: ["ừ", "ư"],
  da: ["dạ", "đã"],
  thu: ["thứ"],
  so: ["số"],
  dong: ["đồng"],
  hay: ["hay"],
  hoac: ["hoặc"],
  may: ["mấy"],
  trong: ["trống"],
};

/** Whether a token is the given folded word, typed either without diacritics or spelled correctly. */
export function isWord(token: Token | undefined, folded: string): boolean {
  if (token === undefined || token.kind !== "word" || token.fold !== folded) return false;
  return token.raw === folded || (SPELLINGS[folded]?.includes(token.raw) ?? false);
}

export function isAnyWord(token: Token | undefined, words: ReadonlySet<string>): boolean {
  return token !== undefined && words.has(token.fold) && isWord(token, token.fold);
}

/** Words of courtesy that do not change the meaning of a short answer ("dạ không có ạ", "anh ơi"). */
export const FILLERS: ReadonlySet<string> = new Set([
  "da", "a", "ah", "ak", "nha", "nhe", "nhen", "oi", "thua", "anh", "chi", "em", "ban", "chu", "bac", "j",
]);

/** Words that introduce an approximate figure, kept as it is: "khoảng 200", "tầm 5 triệu", "hơn 300". */
export const APPROXIMATION_WORDS: ReadonlySet<string> = new Set([
  "khoang", "tam", "chung", "gan", "tren", "hon", "do", "co", "uoc", "duoc", "la", "tong", "cong",
]);

/** Words that make an answer a doubt rather than a figure ("không biết", "chưa rõ", "không nhớ"). */
export const DOUBT_WORDS: ReadonlySet<string> = new Set(["biet", "nho", "ro", "chac", "hieu"]);

const DOUBT_SPELLINGS: ReadonlySet<string> = new Set(["biết", "nhớ", "rõ", "chắc", "hiểu"]);

/** A doubt word typed plainly or spelled right: "nhớ" (remember) is one, "nhờ" (ask someone) is not. */
export function isDoubtWord(token: Token | undefined): boolean {
  return token !== undefined && DOUBT_WORDS.has(token.fold) && (token.raw === token.fold || DOUBT_SPELLINGS.has(token.raw));
}

/**
 * Hedges around a figure: "hình như 12", "có lẽ 12", "12 thì phải", "12 gì đó". The figure is read but
 * confirmed before it is stored.
 */
export const HEDGES_BEFORE: ReadonlyArray<readonly string[]> = [
  ["hinh", "nhu"], ["co", "le"], ["chac", "la"], ["chac", "khoang"], ["chac", "tam"], ["uoc", "chung"], ["khong", "chac"],
];
export const HEDGES_AFTER: ReadonlyArray<readonly string[]> = [
  ["thi", "phai"], ["gi", "do"], ["hay", "sao"], ["chac", "vay"], ["khong", "chac"], ["khong", "nho", "ro"],
];

/** "10 hay 12", "10 hoặc 12", "10 đến 15", "10-15": the person gives two figures for one. */
export const OR_WORDS: ReadonlySet<string> = new Set(["hay", "hoac"]);
export const RANGE_WORDS: ReadonlySet<string> = new Set(["den", "toi"]);

/** Zero heads, said in every region and abbreviated: không, ko, k, kh, khg, hông, hổng, hok, hem, chưa… */
export const ZERO_HEADS: ReadonlySet<string> = new Set([
  "khong", "ko", "k", "kh", "khg", "hk", "hong", "hok", "hem", "khum", "chua", "chang", "none", "nil", "null", "no", "zero",
]);

/** Zero words that only count when they are the whole answer ("kg" is also kilogram, "trống" also a drum). */
export const ZERO_WHOLE_ONLY: ReadonlySet<string> = new Set(["kg", "trong"]);

/** Verbs that may follow the zero word: "chưa tổ chức", "không phát sinh", "không có ai tham dự". */
export const ZERO_VERBS: ReadonlyArray<readonly string[]> = [
  ["to", "chuc"], ["phat", "sinh"], ["xay", "ra"], ["tham", "gia"], ["tham", "du"], ["thuc", "hien"], ["tiep", "nhan"],
  ["nhan"], ["du"], ["ve"], ["den"], ["co"], ["duoc"],
];

/** Words that may close a zero answer: "không có ai", "không có gì", "chưa có hết", "không có buổi nào". */
export const ZERO_TAIL: ReadonlySet<string> = new Set([
  "ai", "gi", "nao", "het", "ca", "luon", "dau", "nhe", "nha", "a", "ah", "ak", "ca", "tat", "thang", "nay", "ky",
]);

/** Strict words the keyboard repair must spell exactly (plus the multipliers and currency words). */
const STRICT_WORDS = [
  ...Object.values(SPELLINGS).flat(),
  "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "trăm", "chục", "rưỡi", "không", "có", "chưa", "đồng",
];

/** Common words that are not figures and carry no unit: after a number they are not an unknown unit. */
const COMMON_WORDS = [
  "và", "với", "là", "thì", "mà", "nhưng", "còn", "của", "cho", "ở", "tại", "về", "được", "đã", "có", "trong", "đó",
  "này", "nay", "tháng", "năm", "kỳ", "quý", "tuần", "ngày", "hết", "cả", "tất", "luôn", "thôi", "nữa", "rồi", "ạ",
  "nhé", "nha", "nhen", "ơi", "thưa", "dạ", "vâng", "anh", "chị", "em", "chú", "cô", "bác", "khoảng", "tầm", "chừng",
  "gần", "trên", "hơn", "độ", "cỡ", "ước", "tổng", "cộng", "số", "lượng", "chỉ", "mới", "vừa", "đạt", "người",
];

/** The lexicon of the number reader alone (forms add their own words to it). */
export const BASE_LEXICON: Lexicon = makeLexicon(STRICT_WORDS, COMMON_WORDS);

/** Folded common words (never an unknown unit after a figure). */
export const COMMON_FOLDS: ReadonlySet<string> = new Set(BASE_LEXICON.byFold.keys());
