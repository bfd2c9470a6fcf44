/**
 * Words typed with a Vietnamese keyboard method that did not convert them: Telex ("trieuj", "nguwowif",
 * "ddown") and VNI ("ngu7o72i", "trie65u"). Both are decoded into letters, the marks on each letter and
 * the tone, so a decoded word can be compared with a correctly spelled one without caring where the tone
 * mark sits ("hòa" and "hoà" are the same word).
 */

/** One letter: its base (a–z) and its mark: "^" â ê ô, "(" ă, "+" ơ ư, "-" đ, "" none. */
export interface MarkedWord {
  /** Base letters, the word folded: "người" → "nguoi". */
  letters: string;
  mods: string[];
  /** 0 none, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng. */
  tone: number;
}

const TONE_BY_MARK: Readonly<Record<string, number>> = { "\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5 };
const MOD_BY_MARK: Readonly<Record<string, string>> = { "\u0302": "^", "\u0306": "(", "\u031B": "+" };
const TELEX_TONES: Readonly<Record<string, number>> = { s: 1, f: 2, r: 3, x: 4, j: 5 };
const VOWELS = "aeiouy";

/** The letters, marks and tone of a correctly spelled word ("triệu" → trieu, [.., "^", ..], 5). */
export function marksOf(word: string): MarkedWord {
  let letters = "";
  const mods: string[] = [];
  let tone = 0;
  for (const ch of word.normalize("NFD")) {
    const t = TONE_BY_MARK[ch];
    if (t !== undefined) {
      tone = t;
      continue;
    }
    const mod = MOD_BY_MARK[ch];
    if (mod !== undefined) {
      if (mods.length > 0) mods[mods.length - 1] = mod;
      continue;
    }
    if (/\p{M}/u.test(ch)) continue;
    if (ch === "đ" || ch === "Đ") {
      letters += "d";
      mods.push("-");
      continue;
    }
    letters += ch.toLowerCase();
    mods.push("");
  }
  return { letters, mods, tone };
}

/**
 * Whether a decoded word may be the known word: same letters, the same tone or none typed, and every mark it
 * has is the known word's. "trieuj" (triẹu) and "trieeu" (triêu) may be "triệu"; "baf" (bà) is not "ba".
 */
export function compatible(decoded: MarkedWord, known: MarkedWord): boolean {
  if (decoded.letters !== known.letters || (decoded.tone !== 0 && decoded.tone !== known.tone)) return false;
  return decoded.mods.every((mod, i) => mod === "" || mod === known.mods[i]);
}

interface Letter {
  c: string;
  mod: string;
}

function lastIndex(letters: Letter[], pick: (l: Letter) => boolean): number {
  for (let i = letters.length - 1; i >= 0; i--) if (pick(letters[i]!)) return i;
  return -1;
}

/** The horn of "w"/"7": on the last o or u, and on both of "uo" ("nguoiw" → ngươi). */
function addHorn(letters: Letter[]): boolean {
  const i = lastIndex(letters, (l) => (l.c === "o" || l.c === "u" || l.c === "a") && l.mod === "");
  if (i < 0) return false;
  const target = letters[i]!;
  target.mod = target.c === "a" ? "(" : "+";
  const before = letters[i - 1];
  if (target.c === "o" && before?.c === "u" && before.mod === "") before.mod = "+";
  return true;
}

function toMarked(letters: Letter[], tone: number): MarkedWord {
  return { letters: letters.map((l) => l.c).join(""), mods: letters.map((l) => l.mod), tone };
}

/**
 * Decodes a plain ASCII word typed in Telex, or undefined when it holds no Telex key: tone keys s f r x j
 * after a vowel, "w" for ơ ư ă, doubled aa ee oo for â ê ô, "dd" for đ. "nguwowif" → người, "trieuj" → triẹu.
 */
export function fromTelex(word: string): MarkedWord | undefined {
  if (!/^[a-z]+$/.test(word)) return undefined;
  const letters: Letter[] = [];
  let tone = 0;
  let changed = false;
  let seenVowel = false;
  for (const c of word) {
    const t = TELEX_TONES[c];
    if (seenVowel && t !== undefined) {
      tone = t;
      changed = true;
      continue;
    }
    if (c === "w") {
      if (!addHorn(letters)) {
        letters.push({ c: "u", mod: "+" });
        seenVowel = true;
      }
      changed = true;
      continue;
    }
    const last = letters[letters.length - 1];
    if (last && last.mod === "" && c === last.c && (c === "a" || c === "e" || c === "o")) {
      last.mod = "^";
      changed = true;
      continue;
    }
    if (last && last.mod === "" && c === "d" && last.c === "d") {
      last.mod = "-";
      changed = true;
      continue;
    }
    letters.push({ c, mod: "" });
    if (VOWELS.includes(c)) seenVowel = true;
  }
  return changed && seenVowel ? toMarked(letters, tone) : undefined;
}

/**
 * Decodes a word typed in VNI (letters with digits for the marks): 1–5 the tones, 6 â ê ô, 7 ơ ư, 8 ă,
 * 9 đ. "ngu7o72i" → người, "trie65u" → triệu. Undefined when a digit has nothing to mark.
 */
export function fromVni(run: string): MarkedWord | undefined {
  if (!/^[a-z][a-z1-9]*$/.test(run) || !/\d/.test(run)) return undefined;
  const letters: Letter[] = [];
  let tone = 0;
  for (const c of run) {
    if (c >= "a" && c <= "z") {
      letters.push({ c, mod: "" });
      continue;
    }
    const d = Number(c);
    if (d <= 5) {
      if (!letters.some((l) => VOWELS.includes(l.c))) return undefined;
      tone = d;
      continue;
    }
    const i =
      d === 6
        ? lastIndex(letters, (l) => "aeo".includes(l.c) && l.mod === "")
        : d === 7
          ? lastIndex(letters, (l) => (l.c === "o" || l.c === "u") && l.mod === "")
          : d === 8
            ? lastIndex(letters, (l) => l.c === "a" && l.mod === "")
            : lastIndex(letters, (l) => l.c === "d" && l.mod === "");
    if (i < 0) return undefined;
    if (d === 7) addHorn(letters.slice(0, i + 1));
    else letters[i]!.mod = d === 6 ? "^" : d === 8 ? "(" : "-";
  }
  return toMarked(letters, tone);
}
