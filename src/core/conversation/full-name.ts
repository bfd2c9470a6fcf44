// The name that signs an area's drafts. A chat name is often a nickname ("Chú Tư", "tuan88", "HẠNH"); when it
// does not read as a full Vietnamese name, /dangky asks once for the full name (skippable with /bo).
import type { InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { foldText } from "../numbers/normalize.js";
import type { Person, SessionKey } from "../types.js";
import { type Ctx, personOf, reply, sessionKey } from "./context.js";
import { ask } from "./form-flow.js";
import type { Ask } from "./questions.js";

/** Family names: the common Kinh ones and those of the Khmer, Stiêng, Tày and other peoples. */
const FAMILY_NAMES = (
  "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Trương Lâm Mai Trịnh Đào Cao " +
  "Hà Lưu Tạ Tô Thái Lương Châu Quách Triệu Hứa Kiều La Lã Lại Từ Vương Chu Thân Tăng Âu Mạc Nghiêm Phùng Tôn " +
  "Khúc Doãn Kim Thạch Danh Sơn Điểu Lò Quàng Hầu Giang Ninh Bạch Diệp Viên Ưng Khổng Khương Nông Mông Vi Lục " +
  "Tống Giáp Đàm Đồng Phí Mẫn Cù Hàn Lạc Mạch Nhan Quan Tiêu Trang Lữ Ông Đậu Tiết Ma Chế Quản Đới Khiếu Bế Lường"
).split(" ");
const FAMILY_ACCENTED = new Set(FAMILY_NAMES.map((n) => n.toLowerCase()));
const FAMILY_FOLDED = new Set(FAMILY_NAMES.map(foldText));

/** Forms of address that people put before a given name in a chat name ("Chú Tư", "Cô Hạnh", "Anh Ba"). */
const FORMS_OF_ADDRESS = new Set(["chú", "cô", "anh", "chị", "bác", "ông", "bà", "em", "thầy", "dì", "cậu", "mợ", "thím", "dượng", "út", "o"]);

/** A name word: letters only, capital first and small after (an apostrophe or hyphen may join parts: K'Lơi). */
const TITLE_WORD = /^\p{Lu}[\p{Ll}\p{M}]*(?:['’-]\p{Lu}?[\p{Ll}\p{M}]*)*$/u;

/**
 * Whether a chat name reads as a full Vietnamese name, so there is no need to ask for one. The rule: two to
 * five words; each word only letters, with a capital first letter and small ones after (not an all-caps handle,
 * not all small letters, no digits, emoji or symbols); the first word a family name (Nguyễn, Trần, Lê…, typed
 * with or without diacritics) and not a form of address ("Chú Tư", "Anh Ba"). "Nguyễn Văn Tư" and
 * "Tran Thi Hanh" pass; "Tư", "Chú Tư", "TUAN", "tuan88", "Hạnh 🌸" and "Tư Nguyễn" (given name first) are asked.
 */
export function looksLikeFullName(name: string): boolean {
  const words = name.normalize("NFC").trim().split(/\s+/);
  if (words.length < 2 || words.length > 5) return false;
  if (!words.every((w) => TITLE_WORD.test(w))) return false;
  const first = words[0]!;
  if (FORMS_OF_ADDRESS.has(first.toLowerCase())) return false;
  // With diacritics typed, "Tư" (a given name) is not "Từ" (a family name); without them, both read "tu".
  const lower = first.toLowerCase();
  return foldText(first) === lower ? FAMILY_FOLDED.has(lower) : FAMILY_ACCENTED.has(lower);
}

/** Polite wrappers around an answer ("Dạ, Nguyễn Văn Tư ạ"). */
const WRAPPERS = [/^(?:dạ|da|vâng|vang)[\s,.:;!-]+/iu, /[\s,]+ạ[\s.!]*$/iu, /[.!]+$/u];

function unwrap(text: string): string {
  return WRAPPERS.reduce((t, re) => t.replace(re, "").trim(), text.normalize("NFC").trim());
}

/**
 * An answer to "your full name?" made tidy, or undefined when it is not a name: two to six words of letters
 * (apostrophes and hyphens inside words allowed), at most 60 characters. Words typed all small or all capital
 * get a capital first letter and small ones after ("nguyen van tu" → "Nguyen Van Tu"); mixed ones stay as typed.
 */
export function tidyFullName(text: string): string | undefined {
  const t = unwrap(text);
  const words = t.split(/\s+/).filter(Boolean);
  if (words.length < 2 || words.length > 6 || t.length > 60) return undefined;
  if (!words.every((w) => /^\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*$/u.test(w))) return undefined;
  return words
    .map((w) => (w === w.toLowerCase() || w === w.toUpperCase() ? w.charAt(0).toUpperCase() + w.slice(1).toLowerCase() : w))
    .join(" ");
}

/** Asked once, and only when the chat name does not already read as a full name. */
function needsFullName(ctx: Ctx, person: Person, key: SessionKey): boolean {
  if (looksLikeFullName(person.name) || ctx.world.person(person)?.fullName || ctx.world.fullNameAsked(person)) return false;
  // Never in the middle of something else (a form in progress): it will be asked at a later /dangky.
  const open = ctx.world.session(key);
  return !open || open.mode === "register" || open.mode === "full_name";
}

function asking(person: Person, key: SessionKey): Effect[] {
  return [
    { type: "full_name_asked", person: { platform: person.platform, userId: person.userId } },
    { type: "set_session", key, state: { mode: "full_name" } },
  ];
}

/**
 * The confirmation `prefix` followed by the question for the full name, as one message to the person who just
 * registered or redeemed an invite; undefined when the question need not be asked (the caller says `prefix` alone).
 */
export function askFullName(ctx: Ctx, ev: InboundEvent, prefix: string): Effect[] | undefined {
  const person = personOf(ev);
  const key = sessionKey(ev);
  if (!needsFullName(ctx, person, key)) return undefined;
  return [...asking(person, key), ask(ev, `${prefix}\n${fill(ctx.messages.full_name_ask, { name: person.name })}`, FULL_NAME_QUESTION)];
}

/** The same for someone who is not the one talking (a request approved by staff): asked in `chatId`, by name. */
export function askFullNameOf(ctx: Ctx, person: Person, chatId: string, prefix: string): Effect[] | undefined {
  const key: SessionKey = { platform: person.platform, chatId, userId: person.userId };
  if (!needsFullName(ctx, person, key)) return undefined;
  const group = chatId !== person.userId;
  const text = `${prefix}\n${fill(ctx.messages.full_name_ask, { name: person.name })}`;
  return [
    ...asking(person, key),
    {
      type: "reply",
      out: {
        platform: person.platform,
        chatId,
        text,
        owner: person.userId,
        forceReply: group,
        ...(group ? { mentions: [{ userId: person.userId, name: person.name }] } : {}),
        purpose: "question",
        question: FULL_NAME_QUESTION.question,
      },
    },
  ];
}

/** The full-name question, typed. */
const FULL_NAME_QUESTION: Ask = { question: { kind: "free", topic: "name" } };

/** "No", said instead of /bo. */
const DECLINE = new Set(["khong", "ko", "k", "khong can", "bo qua", "thoi", "bo"]);

/** The reply to the full-name question. */
export function answerFullName(ctx: Ctx, ev: InboundEvent, text: string): Effect[] {
  const m = ctx.messages;
  if (DECLINE.has(foldText(unwrap(text)))) return skipFullName(ctx, ev);
  const fullName = tidyFullName(text);
  if (!fullName) return [ask(ev, m.full_name_invalid, FULL_NAME_QUESTION)];
  return [
    { type: "set_full_name", person: personOf(ev), fullName },
    { type: "clear_session", key: sessionKey(ev) },
    reply(ev, fill(m.full_name_done, { full_name: fullName })),
  ];
}

/** /bo (or /huy) at the full-name question: the chat name stays the signer. */
export function skipFullName(ctx: Ctx, ev: InboundEvent): Effect[] {
  return [{ type: "clear_session", key: sessionKey(ev) }, reply(ev, fill(ctx.messages.full_name_skipped, { name: ev.from.name }))];
}
