// Reading what people type to a Zalo bot: there is no command menu and, in a group, every message reaches
// the bot only when it @mentions it. So "@Trợ lý MTTQ báo cáo" must read as "/baocao", and "@Trợ lý MTTQ 12
// buổi" as the answer "12 buổi". Pure functions, unit-tested.
import { COMMAND_NAMES } from "../../core/conversation/decide.js";
import { foldText } from "../../core/numbers/normalize.js";

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Commands typed without a slash may carry arguments only of these shapes, so that an answer that happens to
 * begin with a command word ("Sửa chữa nhà văn hóa", "Xem xét lại") stays an answer. A command alone is always
 * a command. Commands not listed here take no arguments without a slash.
 */
const ARGUMENTS: Record<string, RegExp> = {
  start: /^p_[A-Za-z0-9_-]+$/,
  dangky: /^[A-Za-z0-9]{4,16}$/,
  // A unit code as the CSV gives it ("25747", "TK-01"): one word of letters, digits and - _ .
  lienket: /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/,
  thuhoi: /^\d+$/,
  sua: /^\d+(\s|$)/,
  chapnhan: /^\d+$/,
  tuchoi: /^\d+(\s|$)/,
  moky: /^(thang|quy|nam|tuan|6 thang|9 thang|tu dong|auto|mac dinh)\b/,
};

/** Longest command that a message begins with, as typed in up to three words ("bao cao", "tro giup"). */
function leadingCommand(text: string): { name: string; words: number } | undefined {
  const words = foldText(text).toLowerCase().split(" ");
  for (let n = Math.min(3, words.length); n >= 1; n--) {
    const name = words.slice(0, n).join("");
    if (COMMAND_NAMES.includes(name)) return { name, words: n };
  }
  return undefined;
}

/**
 * "baocao", "bao cao", "Báo cáo" → "/baocao"; "lien ket 25747" → "/lienket 25747"; text that already starts
 * with a slash, and anything else, is returned unchanged.
 */
export function normalizeCommand(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith("/") || trimmed === "") return text;
  const found = leadingCommand(trimmed);
  if (!found) return text;
  const rest = trimmed.split(/\s+/).slice(found.words).join(" ");
  if (!rest) return `/${found.name}`;
  const shape = ARGUMENTS[found.name];
  const restForShape = found.name === "moky" ? foldText(rest).toLowerCase() : rest;
  return shape?.test(restForShape) ? `/${found.name} ${rest}` : text;
}

export interface MentionResult {
  text: string;
  /** The message named the bot (or, in a group where only mentions arrive, began with an @mention). */
  mentioned: boolean;
  /** The mention was recognised only by shape: the bot's name is not among the known names. */
  guessed: boolean;
}

/**
 * Removes "@<bot name>" wherever it appears. `names` are the bot's names as people see them (display name,
 * account name, ZALO_BOT_NAME). When none matches but the message begins with "@" (in a group, Zalo delivers
 * only messages that mention the bot), the mention is taken to end where a command, a slash or a figure begins.
 */
export function stripMention(text: string, names: readonly string[]): MentionResult {
  let out = text.normalize("NFC");
  let mentioned = false;
  const sorted = [...new Set(names.map((n) => n.normalize("NFC").trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  for (const name of sorted) {
    const re = new RegExp(`@${escapeRe(name)}(?![\\p{L}\\p{N}_])`, "giu");
    if (re.test(out)) {
      mentioned = true;
      out = out.replace(re, " ");
    }
  }
  if (mentioned) return { text: tidy(out), mentioned, guessed: false };
  const lead = /^\s*@(\S+)/u.exec(out);
  if (!lead) return { text: text.trim(), mentioned: false, guessed: false };
  // The name ends before the first slash or figure; else before the last command word (a bot's name may itself
  // contain one: "@Bot Báo Cáo Xã bao cao").
  const words = out.trim().slice(1).split(/[ \t]+/);
  let command: number | undefined;
  for (let i = 1; i <= Math.min(6, words.length - 1); i++) {
    const rest = words.slice(i).join(" ");
    if (/^[/\d]/.test(rest)) return { text: tidy(rest), mentioned: true, guessed: true };
    if (leadingCommand(rest)) command = i;
  }
  return { text: tidy(words.slice(command ?? 1).join(" ")), mentioned: true, guessed: true };
}

/** Drops the separators people type after a mention ("@Bot: 12", "@Bot, có"); keeps line breaks inside. */
function tidy(text: string): string {
  return text.replace(/^[\s,:;]+/u, "").replace(/[ \t]{2,}/g, " ").trim();
}
