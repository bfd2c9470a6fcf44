// The words a form gives its figures, prepared once per form: phrases typed before a figure (keywords) and
// after it (units), the words of computed figures, and a lexicon of every word the form spells, for repairing
// keyboard leftovers ("nguoif", "ngu7o72i") into the form's own words.
import { makeLexicon, type Lexicon } from "../numbers/lexicon.js";
import { foldText } from "../numbers/normalize.js";
import { BASE_LEXICON } from "../numbers/vocabulary.js";
import type { Field, Section } from "../forms/schema.js";

/** One phrase of the form: the fields it names when typed before a figure and when typed after one. */
export interface Phrase {
  words: readonly string[];
  before: ReadonlySet<string>;
  after: ReadonlySet<string>;
  /**
   * Fields counted in this unit that it does not name: "đơn" names the petitions received, but "xử lý 2 đơn"
   * are processed ones. A figure may fill them when another word says so.
   */
  weak: ReadonlySet<string>;
  /** Computed figures it names ("đang giải quyết"): typed figures for them are not asked here. */
  derived: ReadonlySet<string>;
}

export interface FormWords {
  /** Phrases by their first folded word, longest first. */
  byFirstWord: ReadonlyMap<string, readonly Phrase[]>;
  lexicon: Lexicon;
  /** Every field of the sections, by id, with the section it belongs to. */
  fields: ReadonlyMap<string, { field: Field; section: WordSource }>;
}

const cache = new WeakMap<object, FormWords>();

function phrasesOf(field: Field): { before: string[]; after: string[]; weak: string[] } {
  // The unit names the figure only when the form lists it among the words after it; otherwise it only
  // allows it ("đơn" names the petitions received, not the ones processed, though both are counted in đơn).
  const unit = "unit" in field && field.unit !== "đồng" && field.unit !== "%" ? [field.unit] : [];
  return {
    before: [...field.keywords, ...(field.echo ? [field.echo] : [])],
    after: field.units,
    weak: [...unit, ...field.shared_units],
  };
}

/** What the words are taken from: a form's sections, or a lone field in a section of its own. */
export type WordSource = { fields: readonly Field[] } & Pick<Section, "derived"> & Partial<Pick<Section, "title" | "prompt" | "prompt_example">>;

/**
 * The words of the given sections (a whole form, or one section when the form is not known), as read while
 * asking a question of section `scope`; kept per `key`.
 */
export function formWords(sections: readonly WordSource[], key: object = sections, scope?: WordSource): FormWords {
  const cached = cache.get(key);
  if (cached) return cached;
  const table = new Map<string, { before: Set<string>; after: Set<string>; weak: Set<string>; derived: Set<string> }>();
  const entry = (text: string) => {
    const key = foldText(text).replace(/[^a-z0-9 ]/g, " ").replace(/\s+/g, " ").trim();
    if (!key) return undefined;
    let e = table.get(key);
    if (!e) {
      e = { before: new Set(), after: new Set(), weak: new Set(), derived: new Set() };
      table.set(key, e);
    }
    return e;
  };
  const fields = new Map<string, { field: Field; section: WordSource }>();
  const spelled: string[] = [];
  for (const section of sections) {
    spelled.push(section.title ?? "", section.prompt ?? "", section.prompt_example ?? "");
    for (const field of section.fields) {
      fields.set(field.id, { field, section });
      const { before, after, weak } = phrasesOf(field);
      for (const w of before) entry(w)?.before.add(field.id);
      for (const w of after) entry(w)?.after.add(field.id);
      for (const w of weak) entry(w)?.weak.add(field.id);
      spelled.push(field.label, field.question ?? "", field.example ?? "", field.echo ?? "", "unit" in field ? field.unit : "");
      if (field.kind === "choice") for (const o of field.options) spelled.push(o.label);
    }
    for (const d of section.derived) {
      // A computed figure's words mean something only in its own section ("chưa giải quyết" petitions are not
      // mediation cases).
      if (scope === undefined || section === scope) for (const w of d.keywords) entry(w)?.derived.add(d.id);
      spelled.push(d.label, d.unit);
    }
  }
  const byFirstWord = new Map<string, Phrase[]>();
  for (const [key, e] of table) {
    const words = key.split(" ");
    const list = byFirstWord.get(words[0]!) ?? [];
    const weak = new Set([...e.weak].filter((id) => !e.after.has(id)));
    list.push({ words, before: e.before, after: e.after, weak, derived: e.derived });
    byFirstWord.set(words[0]!, list);
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);
  const words: FormWords = { byFirstWord, lexicon: makeLexicon([], spelled, BASE_LEXICON), fields };
  cache.set(key, words);
  return words;
}
