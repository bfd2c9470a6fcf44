/**
 * A local stand-in of the Telegram Bot API for end-to-end tests and benchmarks.
 *
 * It speaks the real wire format (`{ok:true,result}` / `{ok:false,error_code,description,parameters?}`) on
 * `http://127.0.0.1:PORT/bot<TOKEN>/<method>`, accepts JSON, urlencoded, multipart and query-string
 * parameters (grammY sends JSON, or multipart with `attach://` parts when an `InputFile` is present), and
 * reproduces the behaviours a group bot must cope with: privacy mode, long polling and webhooks, Telegram's
 * validation errors, rate limits (driven by an injectable clock) and seeded fault injection.
 *
 * Usage: `const tg = await startFakeTelegram(); const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });`
 *
 * Time: the injected `clock` drives message dates and rate limits only. Network waits (long-poll timeouts,
 * webhook retries, `waitFor` timeouts, slow-fault delays) use real timers, taken from `node:timers` so that
 * vitest fake timers do not freeze the server.
 */
import { EventEmitter } from "node:events";
import http from "node:http";
import { clearTimeout, setTimeout } from "node:timers";
import { mulberry32 } from "./seeded-random.js";
import type {
  BotCommand,
  Chat,
  ForceReply,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  ReplyParameters,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";

// ───────────────────────────── public types ─────────────────────────────

/** Milliseconds as a number, or a Date (so the project's `Clock` / `ManualClock` can be passed directly). */
export interface FakeClock {
  now(): number | Date;
}

/** A sliding window: at most `limit` counted calls within any `windowMs`. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** Per-target windows; `false` switches one off. Counted: sendMessage, sendDocument, sendPhoto, each message of
 * sendMediaGroup, editMessage*. */
export interface RateLimitConfig {
  /** Per group/supergroup chat (negative id). Default 20 per 60 s. */
  group?: RateWindow | false;
  /** Per private chat. Default 5 per 5 s (≈1/s, bursts of 5 tolerated). */
  private?: RateWindow | false;
  /** Across all chats. Default 30 per 1 s. */
  global?: RateWindow | false;
}

export interface FaultOptions {
  /** Seed of the mulberry32 PRNG: the same seed and request order give the same faults. */
  seed: number;
  /** Probability of answering 429 (with `retry_after` = `retryAfter`, default 1 s). */
  rate429?: number;
  /** Probability of answering 500 Internal Server Error. */
  rate500?: number;
  /** Probability of destroying the socket before doing anything (nothing recorded as sent). */
  rateDrop?: number;
  /** Probability of performing the call (recorded as sent) and then destroying the socket: a lost answer. */
  rateDropAfter?: number;
  /** Probability of delaying the call by a uniform random time in `slowMs` (real milliseconds). */
  rateSlow?: number;
  slowMs?: [min: number, max: number];
  retryAfter?: number;
  /** Methods faults apply to. Default: the send/edit/delete/answer/chat-action methods. */
  methods?: readonly string[];
}

export type FaultKind = "429" | "500" | "drop" | "dropAfter" | "slow";

export interface FakeTelegramOptions {
  /** Default "123456789:AAFakeTokenForTests". The bot's user id is the number before the colon. */
  token?: string;
  /** Default "baocao_test_bot". */
  botUsername?: string;
  /** Default "Báo cáo MTTQ (test)". */
  botFirstName?: string;
  /** Privacy mode (default true): plain group text that is not a command or a reply to the bot is not delivered. */
  privacyMode?: boolean;
  /** Time source for message dates and rate limits. Default: real time. */
  clock?: FakeClock;
  /** Default: on, with the defaults described in RateLimitConfig. `false` disables. */
  rateLimits?: RateLimitConfig | false;
  faults?: FaultOptions;
  /** Webhook delivery: delay between retries of a failed delivery (default 200 ms). */
  webhookRetryDelayMs?: number;
  /** Webhook delivery: attempts per update before it is given up (default 5). */
  webhookMaxAttempts?: number;
  /** Webhook delivery: per-attempt timeout (default 15000 ms). */
  webhookTimeoutMs?: number;
  /** First update_id handed out (default 100000). */
  firstUpdateId?: number;
  /** Port to listen on (default 0: a random free port). */
  port?: number;
}

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

export type SentMethod =
  | "sendMessage"
  | "sendDocument"
  | "sendPhoto"
  /** One entry per message of the album, in order, with the same `mediaGroupId`. */
  | "sendMediaGroup"
  | "editMessageText"
  | "editMessageReplyMarkup"
  | "deleteMessage"
  | "answerCallbackQuery";

/** One successful side effect performed by the bot. */
export interface SentEntry {
  method: SentMethod;
  chatId: number;
  /** The new/edited/deleted message; for answerCallbackQuery the message carrying the pressed button. */
  messageId: number;
  /** Text as Telegram shows and returns it (after parse_mode); for answerCallbackQuery the notification. */
  text?: string;
  /** Text exactly as the bot sent it (before parse_mode). */
  rawText?: string;
  caption?: string;
  entities?: MessageEntity[];
  parseMode?: string;
  replyMarkup?: ReplyMarkup;
  /** message_id this message replies to (if the target existed). */
  replyTo?: number;
  document?: { filename: string; bytes: Buffer; mimeType: string; fileId: string };
  /** A photo as uploaded (an uploaded PNG or JPEG; its size read from the file). */
  photo?: { filename: string; bytes: Buffer; fileId: string; width: number; height: number };
  /** The album a sendMediaGroup message belongs to. */
  mediaGroupId?: string;
  callbackQueryId?: string;
  showAlert?: boolean;
  /** Request parameters as received (uploads appear as UploadedFile objects). */
  params: Record<string, unknown>;
  /** Clock time (ms). */
  at: number;
}

/** Every request that reached a method, successful or not. */
export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
  /** HTTP status answered; 0 while pending or when the socket was destroyed. */
  status: number;
  description?: string;
  fault?: FaultKind;
  /** True when the call came from a webhook reply body rather than an HTTP request. */
  viaWebhookReply?: boolean;
}

export interface WebhookDelivery {
  updateId: number;
  attempt: number;
  url: string;
  secretToken?: string;
  status?: number;
  error?: string;
  at: number;
}

export interface UploadedFile {
  kind: "upload";
  filename: string;
  bytes: Buffer;
  contentType?: string;
}

export interface ChatInput {
  id: number;
  type: "group" | "supergroup" | "private";
  title?: string;
  username?: string;
}

export interface UserInput {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

interface UserMessageBase {
  chat: ChatInput;
  from: UserInput;
  /** message_id (in the same chat) this message replies to; it must exist. */
  replyTo?: number;
}

export interface UserSaysInput extends UserMessageBase {
  text: string;
  /** Extra entities; a leading /command gets its bot_command entity automatically. */
  entities?: MessageEntity[];
}

export interface UserPressesInput {
  chat: ChatInput;
  from: UserInput;
  messageId: number;
  data: string;
}

export interface UserEditsInput {
  chat: ChatInput;
  from: UserInput;
  messageId: number;
  text: string;
  entities?: MessageEntity[];
}

export type NonChannelChat = Chat.PrivateChat | Chat.GroupChat | Chat.SupergroupChat;

// ───────────────────────────── errors and small helpers ─────────────────────────────

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
  }
  toJSON(): Record<string, unknown> {
    return {
      ok: false,
      error_code: this.code,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

const bad = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);
const parseError = (what: string): ApiError => bad(`can't parse entities: ${what}`);
const byteOffset = (s: string, i: number): number => Buffer.byteLength(s.slice(0, i), "utf8");
const codePoints = (s: string): number => [...s].length;


const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

// ───────────────────────────── text formatting (parse_mode) ─────────────────────────────

interface Formatted {
  text: string;
  entities: MessageEntity[];
}

type UserLookup = (id: number) => User | undefined;

function linkEntity(url: string, offset: number, length: number, users: UserLookup): MessageEntity {
  const m = /^tg:\/\/user\?id=(\d+)$/.exec(url);
  const user = m ? users(Number(m[1])) : undefined;
  return user ? { type: "text_mention", offset, length, user } : { type: "text_link", offset, length, url };
}

const HTML_NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

function decodeHtmlEntity(body: string): string | undefined {
  if (body.startsWith("#x") || body.startsWith("#X")) {
    const n = parseInt(body.slice(2), 16);
    return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
  }
  if (body.startsWith("#")) {
    const n = parseInt(body.slice(1), 10);
    return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
  }
  return HTML_NAMED[body.toLowerCase()];
}

function decodeHtmlText(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (all, body: string) => decodeHtmlEntity(body) ?? all);
}

const HTML_TAGS = new Set([
  "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
  "a", "code", "pre", "blockquote", "tg-emoji",
]);

interface OpenTag {
  tag: string;
  start: number;
  attrs: Map<string, string>;
}

/** Telegram's HTML subset, with tdlib-like error messages. */
export function parseHtml(src: string, users: UserLookup = () => undefined): Formatted {
  let out = "";
  const entities: MessageEntity[] = [];
  const stack: OpenTag[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (c === "&") {
      const m = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/.exec(src.slice(i, i + 12));
      const decoded = m?.[1] !== undefined ? decodeHtmlEntity(m[1]) : undefined;
      if (m && decoded !== undefined) {
        out += decoded;
        i += m[0].length;
      } else {
        out += "&"; // tdlib keeps a stray ampersand as text
        i++;
      }
      continue;
    }
    if (c !== "<") {
      out += c;
      i++;
      continue;
    }
    const at = i;
    if (src.charAt(i + 1) === "/") {
      const close = src.indexOf(">", i);
      if (close < 0) throw parseError(`Unclosed end tag at byte offset ${byteOffset(src, at)}`);
      const name = src.slice(i + 2, close).trim().toLowerCase();
      const open = stack.pop();
      if (!open) throw parseError(`Unexpected end tag at byte offset ${byteOffset(src, at)}`);
      if (open.tag !== name) {
        throw parseError(
          `Unmatched end tag at byte offset ${byteOffset(src, at)}, expected "</${open.tag}>", found "</${name}>"`,
        );
      }
      const entity = htmlEntity(open, out.length, stack, users);
      if (entity) entities.push(entity);
      i = close + 1;
      continue;
    }
    let j = i + 1;
    while (j < src.length && /[A-Za-z0-9-]/.test(src.charAt(j))) j++;
    const tag = src.slice(i + 1, j).toLowerCase();
    if (!HTML_TAGS.has(tag)) throw parseError(`Unsupported start tag "${tag}" at byte offset ${byteOffset(src, at)}`);
    const attrs = new Map<string, string>();
    for (;;) {
      while (/\s/.test(src.charAt(j))) j++;
      if (j >= src.length) throw parseError(`Unclosed start tag at byte offset ${byteOffset(src, at)}`);
      if (src.charAt(j) === ">") {
        j++;
        break;
      }
      let k = j;
      while (k < src.length && /[A-Za-z0-9_-]/.test(src.charAt(k))) k++;
      const name = src.slice(j, k).toLowerCase();
      if (name === "") throw parseError(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(src, j)}`);
      j = k;
      while (/\s/.test(src.charAt(j))) j++;
      if (src.charAt(j) !== "=") {
        attrs.set(name, ""); // boolean attribute, e.g. <blockquote expandable>
        continue;
      }
      j++;
      while (/\s/.test(src.charAt(j))) j++;
      const q = src.charAt(j);
      if (q === '"' || q === "'") {
        const end = src.indexOf(q, j + 1);
        if (end < 0) throw parseError(`Unclosed start tag at byte offset ${byteOffset(src, at)}`);
        attrs.set(name, decodeHtmlText(src.slice(j + 1, end)));
        j = end + 1;
      } else {
        let e = j;
        while (e < src.length && !/[\s>]/.test(src.charAt(e))) e++;
        attrs.set(name, decodeHtmlText(src.slice(j, e)));
        j = e;
      }
    }
    if (tag === "span" && attrs.get("class") !== "tg-spoiler") {
      throw parseError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(src, at)}`);
    }
    stack.push({ tag, start: out.length, attrs });
    i = j;
  }
  const open = stack.at(-1);
  if (open) throw parseError(`Can't find end tag corresponding to start tag "${open.tag}"`);
  return { text: out, entities: sortEntities(entities) };
}

function htmlEntity(open: OpenTag, end: number, stack: OpenTag[], users: UserLookup): MessageEntity | undefined {
  const offset = open.start;
  const length = end - offset;
  if (length <= 0) return undefined;
  switch (open.tag) {
    case "b":
    case "strong":
      return { type: "bold", offset, length };
    case "i":
    case "em":
      return { type: "italic", offset, length };
    case "u":
    case "ins":
      return { type: "underline", offset, length };
    case "s":
    case "strike":
    case "del":
      return { type: "strikethrough", offset, length };
    case "span":
    case "tg-spoiler":
      return { type: "spoiler", offset, length };
    case "a": {
      const href = open.attrs.get("href");
      return href ? linkEntity(href, offset, length, users) : undefined;
    }
    case "code": {
      const lang = /^language-(.+)$/.exec(open.attrs.get("class") ?? "")?.[1];
      const parent = stack.at(-1);
      if (parent?.tag === "pre" && lang !== undefined) {
        parent.attrs.set("data-language", lang);
        return undefined;
      }
      return { type: "code", offset, length };
    }
    case "pre": {
      const language = open.attrs.get("data-language");
      return language !== undefined ? { type: "pre", offset, length, language } : { type: "pre", offset, length };
    }
    case "blockquote":
      return { type: open.attrs.has("expandable") ? "expandable_blockquote" : "blockquote", offset, length };
    case "tg-emoji": {
      const id = open.attrs.get("emoji-id");
      if (!id) throw parseError(`Custom emoji entity must contain a tg://emoji URL`);
      return { type: "custom_emoji", offset, length, custom_emoji_id: id };
    }
    default:
      return undefined;
  }
}

const MDV2_RESERVED = "_*[]()~`>#+-=|{}.!";
type MdType = "bold" | "italic" | "underline" | "strikethrough" | "spoiler" | "text_link";
const MD_NAMES: Record<MdType, string> = {
  bold: "Bold",
  italic: "Italic",
  underline: "Underline",
  strikethrough: "Strikethrough",
  spoiler: "Spoiler",
  text_link: "TextUrl",
};

/** Scans code/pre content where only ` and \ are escapable. */
function scanCode(src: string, i: number, closer: string): { content: string; end: number } | undefined {
  let content = "";
  while (i < src.length) {
    if (src.startsWith(closer, i)) return { content, end: i + closer.length };
    const ch = src.charAt(i);
    const next = src.charAt(i + 1);
    if (ch === "\\" && (next === "`" || next === "\\")) {
      content += next;
      i += 2;
    } else {
      content += ch;
      i++;
    }
  }
  return undefined;
}

/** MarkdownV2 (a close approximation of tdlib's parser). */
export function parseMarkdownV2(src: string, users: UserLookup = () => undefined): Formatted {
  let out = "";
  const entities: MessageEntity[] = [];
  const stack: Array<{ type: MdType; start: number; at: number }> = [];
  let quoteStart: number | undefined;
  let i = 0;
  while (i < src.length) {
    const lineStart = i === 0 || src.charAt(i - 1) === "\n";
    if (lineStart) {
      if (src.charAt(i) === ">") {
        quoteStart ??= out.length;
        i++;
        continue;
      }
      if (quoteStart !== undefined) {
        const length = out.length - 1 - quoteStart; // without the line break
        if (length > 0) entities.push({ type: "blockquote", offset: quoteStart, length });
        quoteStart = undefined;
      }
    }
    const c = src.charAt(i);
    if (c === "\\") {
      const n = src.charAt(i + 1);
      if (n !== "" && n.charCodeAt(0) <= 126) {
        out += n;
        i += 2;
      } else {
        out += c;
        i++;
      }
      continue;
    }
    if (c === "`") {
      const at = i;
      if (src.startsWith("```", i)) {
        i += 3;
        let language: string | undefined;
        const nl = src.indexOf("\n", i);
        const firstLine = nl >= 0 ? src.slice(i, nl) : "";
        if (nl >= 0 && /^[^\s`\\]+$/.test(firstLine)) {
          language = firstLine;
          i = nl + 1;
        }
        const scanned = scanCode(src, i, "```");
        if (!scanned) throw parseError(`Can't find end of Pre entity at byte offset ${byteOffset(src, at)}`);
        if (scanned.content.length > 0) {
          const e: MessageEntity = language
            ? { type: "pre", offset: out.length, length: scanned.content.length, language }
            : { type: "pre", offset: out.length, length: scanned.content.length };
          entities.push(e);
        }
        out += scanned.content;
        i = scanned.end;
      } else {
        const scanned = scanCode(src, i + 1, "`");
        if (!scanned) throw parseError(`Can't find end of Code entity at byte offset ${byteOffset(src, at)}`);
        if (scanned.content.length > 0) entities.push({ type: "code", offset: out.length, length: scanned.content.length });
        out += scanned.content;
        i = scanned.end;
      }
      continue;
    }
    if (c === "]") {
      const top = stack.at(-1);
      if (top?.type !== "text_link") throw parseError(`Character ']' is reserved and must be escaped with the preceding '\\'`);
      stack.pop();
      i++;
      if (src.charAt(i) === "(") {
        let url = "";
        let j = i + 1;
        while (j < src.length && src.charAt(j) !== ")") {
          if (src.charAt(j) === "\\" && j + 1 < src.length) j++;
          url += src.charAt(j);
          j++;
        }
        if (j >= src.length) throw parseError(`Can't find end of a URL at byte offset ${byteOffset(src, i)}`);
        i = j + 1;
        if (out.length > top.start && url !== "") entities.push(linkEntity(url, top.start, out.length - top.start, users));
      }
      continue;
    }
    let type: MdType | undefined;
    let len = 1;
    if (c === "*") type = "bold";
    else if (c === "_") {
      if (src.charAt(i + 1) === "_") {
        type = "underline";
        len = 2;
      } else type = "italic";
    } else if (c === "~") type = "strikethrough";
    else if (c === "|" && src.charAt(i + 1) === "|") {
      type = "spoiler";
      len = 2;
    } else if (c === "[") type = "text_link";
    if (type) {
      const top = stack.at(-1);
      if (top && top.type === type && type !== "text_link") {
        stack.pop();
        if (out.length > top.start) entities.push({ type, offset: top.start, length: out.length - top.start });
      } else {
        stack.push({ type, start: out.length, at: i });
      }
      i += len;
      continue;
    }
    if (MDV2_RESERVED.includes(c)) {
      throw parseError(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    }
    out += c;
    i++;
  }
  if (quoteStart !== undefined && out.length > quoteStart) {
    entities.push({ type: "blockquote", offset: quoteStart, length: out.length - quoteStart });
  }
  const top = stack.at(-1);
  if (top) throw parseError(`Can't find end of ${MD_NAMES[top.type]} entity at byte offset ${byteOffset(src, top.at)}`);
  return { text: out, entities: sortEntities(entities) };
}

/** Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting. */
export function parseMarkdownLegacy(src: string, users: UserLookup = () => undefined): Formatted {
  let out = "";
  const entities: MessageEntity[] = [];
  let i = 0;
  const unclosed = (at: number): ApiError =>
    parseError(`Can't find end of the entity starting at byte offset ${byteOffset(src, at)}`);
  while (i < src.length) {
    const c = src.charAt(i);
    const n = src.charAt(i + 1);
    if (c === "\\" && n !== "" && "_*`[".includes(n)) {
      out += n;
      i += 2;
      continue;
    }
    if (!"_*`[".includes(c)) {
      out += c;
      i++;
      continue;
    }
    const at = i;
    if (src.startsWith("```", i)) {
      const end = src.indexOf("```", i + 3);
      if (end < 0) throw unclosed(at);
      let body = src.slice(i + 3, end);
      let language: string | undefined;
      const nl = body.indexOf("\n");
      if (nl > 0 && /^[^\s`]+$/.test(body.slice(0, nl))) {
        language = body.slice(0, nl);
        body = body.slice(nl + 1);
      }
      if (body.length > 0) {
        entities.push(
          language
            ? { type: "pre", offset: out.length, length: body.length, language }
            : { type: "pre", offset: out.length, length: body.length },
        );
      }
      out += body;
      i = end + 3;
      continue;
    }
    if (c === "[") {
      const close = src.indexOf("]", i + 1);
      if (close < 0 || src.charAt(close + 1) !== "(") throw unclosed(at);
      const urlEnd = src.indexOf(")", close + 2);
      if (urlEnd < 0) throw unclosed(at);
      const text = src.slice(i + 1, close);
      if (text.length > 0) entities.push(linkEntity(src.slice(close + 2, urlEnd), out.length, text.length, users));
      out += text;
      i = urlEnd + 1;
      continue;
    }
    const end = src.indexOf(c, i + 1);
    if (end < 0) throw unclosed(at);
    const body = src.slice(i + 1, end);
    const type = c === "*" ? "bold" : c === "_" ? "italic" : "code";
    if (body.length > 0) entities.push({ type, offset: out.length, length: body.length });
    out += body;
    i = end + 1;
  }
  return { text: out, entities: sortEntities(entities) };
}

/** Applies parse_mode like Telegram; unknown modes are a 400. */
export function parseFormatted(
  src: string,
  parseMode: string | undefined,
  explicit: MessageEntity[] | undefined,
  users: UserLookup = () => undefined,
): Formatted {
  const mode = (parseMode ?? "").toLowerCase();
  if (mode === "" || mode === "none") return { text: src, entities: explicit ?? [] };
  if (mode === "html") return parseHtml(src, users);
  if (mode === "markdownv2") return parseMarkdownV2(src, users);
  if (mode === "markdown") return parseMarkdownLegacy(src, users);
  throw bad("unsupported parse_mode");
}

// ───────────────────────────── request parsing ─────────────────────────────

function isUpload(v: unknown): v is UploadedFile {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "upload";
}

/** multipart/form-data as grammY writes it (`content-disposition:form-data;name="x";filename=raw name`). */
export function parseMultipart(body: Buffer, boundary: string): { fields: Record<string, string>; files: Record<string, UploadedFile> } {
  const fields: Record<string, string> = {};
  const files: Record<string, UploadedFile> = {};
  const delim = Buffer.from(`\r\n--${boundary}`);
  const buf = Buffer.concat([Buffer.from("\r\n"), body]);
  const broken = (): ApiError => bad("can't parse multipart/form-data body");
  let pos = buf.indexOf(delim);
  if (pos < 0) throw broken();
  for (;;) {
    pos += delim.length;
    if (buf.subarray(pos, pos + 2).toString("latin1") === "--") break;
    const lineEnd = buf.indexOf("\r\n", pos);
    if (lineEnd < 0) throw broken();
    const headerStart = lineEnd + 2;
    const headerEnd = buf.indexOf("\r\n\r\n", headerStart);
    if (headerEnd < 0) throw broken();
    const next = buf.indexOf(delim, headerEnd + 4);
    if (next < 0) throw broken();
    const headers = new Map<string, string>();
    for (const line of buf.subarray(headerStart, headerEnd).toString("utf8").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const cd = headers.get("content-disposition") ?? "";
    const name = /;\s*name="([^"]*)"/i.exec(cd)?.[1] ?? /;\s*name=([^;]*)/i.exec(cd)?.[1]?.trim();
    const content = buf.subarray(headerEnd + 4, next);
    if (name !== undefined) {
      let filename: string | undefined;
      const star = /;\s*filename\*=utf-8''([^;]*)/i.exec(cd);
      const plain = /;\s*filename=(?:"((?:[^"\\]|\\.)*)"|(.*))$/i.exec(cd);
      if (star?.[1] !== undefined) filename = decodeURIComponent(star[1]);
      else if (plain) filename = plain[1] !== undefined ? plain[1].replace(/\\(.)/g, "$1") : (plain[2] ?? "").trim();
      if (filename !== undefined) {
        const contentType = headers.get("content-type");
        files[name] = { kind: "upload", filename, bytes: Buffer.from(content), ...(contentType ? { contentType } : {}) };
      } else {
        fields[name] = content.toString("utf8");
      }
    }
    pos = next;
  }
  return { fields, files };
}

function parseRequestParams(query: URLSearchParams, contentType: string | undefined, body: Buffer): Record<string, unknown> {
  const params: Record<string, unknown> = Object.fromEntries(query);
  const ct = (contentType ?? "").toLowerCase();
  if (body.length === 0) return params;
  if (ct.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw bad("can't parse JSON object");
    }
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) Object.assign(params, parsed);
    return params;
  }
  if (ct.startsWith("application/x-www-form-urlencoded")) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
    return params;
  }
  if (ct.startsWith("multipart/form-data")) {
    const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
    const boundary = m?.[1] ?? m?.[2];
    if (!boundary) throw bad("can't parse multipart/form-data body");
    const { fields, files } = parseMultipart(body, boundary);
    Object.assign(params, fields);
    const attached = new Set<string>();
    for (const [k, v] of Object.entries(params)) {
      if (typeof v === "string" && v.startsWith("attach://")) {
        const f = files[v.slice("attach://".length)];
        if (f) {
          params[k] = f;
          attached.add(v.slice("attach://".length));
        }
      }
    }
    for (const [k, f] of Object.entries(files)) if (!attached.has(k) && !(k in params)) params[k] = f;
  }
  return params;
}

/** Typed access to request parameters that may arrive as JSON values or as strings (multipart/query). */
class Params {
  constructor(readonly raw: Record<string, unknown>) {}

  str(k: string): string | undefined {
    const v = this.raw[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    throw bad(`field "${k}" must be of type String`);
  }

  int(k: string): number | undefined {
    const v = this.raw[k];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
    throw bad(`field "${k}" must be of type Integer`);
  }

  bool(k: string): boolean | undefined {
    const v = this.raw[k];
    if (v === true || v === "true" || v === 1 || v === "1") return true;
    if (v === false || v === "false" || v === 0 || v === "0") return false;
    return undefined;
  }

  json(k: string): unknown {
    const v = this.raw[k];
    if (typeof v !== "string") return v ?? undefined;
    if (v === "") return undefined;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw bad(k === "reply_markup" ? "can't parse reply keyboard markup JSON object" : `can't parse ${k} JSON object`);
    }
  }

  chatId(k = "chat_id"): number | string | undefined {
    const v = this.raw[k];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "number") return v;
    if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
    if (typeof v === "string" && v.startsWith("@")) return v;
    throw bad("chat not found");
  }

  upload(k: string): UploadedFile | string | undefined {
    const v = this.raw[k];
    if (isUpload(v)) return v;
    return this.str(k);
  }
}

// ───────────────────────────── reply markup validation ─────────────────────────────

const INLINE_ACTIONS = [
  "callback_data", "url", "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
];

function validateReplyMarkup(m: unknown): ReplyMarkup | undefined {
  if (m === undefined || m === null) return undefined;
  const invalid = bad("can't parse reply keyboard markup JSON object");
  if (typeof m !== "object" || Array.isArray(m)) throw invalid;
  const o = m as Record<string, unknown>;
  if ("inline_keyboard" in o) {
    const rows = o.inline_keyboard;
    if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) throw bad("field \"inline_keyboard\" must be an Array of Arrays");
    for (const row of rows as unknown[][]) {
      for (const b of row) {
        if (typeof b !== "object" || b === null) throw bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        const btn = b as Record<string, unknown>;
        if (typeof btn.text !== "string" || btn.text === "") throw bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        if (!INLINE_ACTIONS.some((a) => a in btn)) throw bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        if ("callback_data" in btn) {
          const d = btn.callback_data;
          if (typeof d !== "string" || Buffer.byteLength(d, "utf8") < 1 || Buffer.byteLength(d, "utf8") > 64) {
            throw bad("BUTTON_DATA_INVALID");
          }
        }
        if ("url" in btn && (typeof btn.url !== "string" || !/^(https?|tg):\/\/\S+$/i.test(btn.url))) {
          throw bad("BUTTON_URL_INVALID");
        }
      }
    }
    return o as unknown as InlineKeyboardMarkup;
  }
  if ("keyboard" in o || "remove_keyboard" in o || "force_reply" in o) return o as unknown as ReplyMarkup;
  throw invalid;
}

const isInline = (m: ReplyMarkup | undefined): m is InlineKeyboardMarkup => m !== undefined && "inline_keyboard" in m;

// ───────────────────────────── the server ─────────────────────────────

interface ChatState {
  chat: NonChannelChat;
  nextMessageId: number;
  messages: Map<number, Message>;
  migratedTo?: number;
  botIsAdmin: boolean;
  botRemoved: boolean;
}

interface StoredFile {
  fileId: string;
  uniqueId: string;
  filename: string;
  bytes: Buffer;
  mimeType: string;
  path: string;
}

interface Webhook {
  url: string;
  secretToken?: string;
  maxConnections: number;
  allowedUpdates?: unknown;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

interface CallContext {
  res: http.ServerResponse;
}

type Handler = (p: Params, ctx: CallContext) => unknown;

const RATE_LIMITED = new Set(["sendMessage", "sendDocument", "sendPhoto", "sendMediaGroup", "editMessageText", "editMessageReplyMarkup"]);
const DEFAULT_FAULT_METHODS = [
  "sendMessage", "sendDocument", "sendPhoto", "sendMediaGroup", "editMessageText", "editMessageReplyMarkup", "deleteMessage",
  "answerCallbackQuery", "sendChatAction",
];
const DEFAULT_RATE_LIMITS: Required<RateLimitConfig> = {
  group: { limit: 20, windowMs: 60_000 },
  private: { limit: 5, windowMs: 5_000 },
  global: { limit: 30, windowMs: 1_000 },
};
const CHAT_ACTIONS = new Set([
  "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice", "upload_document",
  "choose_sticker", "find_location", "record_video_note", "upload_video_note",
]);
const MIME: Record<string, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
  txt: "text/plain",
  csv: "text/csv",
  zip: "application/zip",
  json: "application/json",
  jpg: "image/jpeg",
  png: "image/png",
};
const MAX_BODY = 60 * 1024 * 1024;
const NEW_MESSAGE_METHODS = new Set<SentMethod>(["sendMessage", "sendDocument", "sendPhoto", "sendMediaGroup"]);

/** Width and height of a PNG (IHDR) or JPEG (SOFn); undefined for anything else. */
export function imageSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length >= 24 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && bytes.toString("latin1", 12, 16) === "IHDR") {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let i = 2; i + 9 < bytes.length; ) {
      if (bytes[i] !== 0xff) return undefined;
      const marker = bytes[i + 1]!;
      const len = bytes.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: bytes.readUInt16BE(i + 7), height: bytes.readUInt16BE(i + 5) };
      }
      i += 2 + len;
    }
  }
  return undefined;
}

export class FakeTelegram {
  readonly token: string;
  readonly bot: UserFromGetMe;
  /** Set at runtime to switch privacy mode (getMe follows it). */
  privacyMode: boolean;
  /** Set at runtime; `false` disables rate limiting. */
  rateLimits: RateLimitConfig | false;

  /** Everything the bot did (see SentEntry). */
  readonly sent: SentEntry[] = [];
  /** Every method call that reached the server, including failures. */
  readonly calls: ApiCall[] = [];
  /** Updates handed to the bot (queued for getUpdates or for the webhook), in order. */
  readonly updates: Update[] = [];
  /** Updates a bot in privacy mode would not receive; never delivered. */
  readonly droppedByPrivacy: Update[] = [];
  /** Updates of a type the bot left out of its allowed_updates (Telegram drops them); never delivered. */
  readonly droppedByAllowedUpdates: Update[] = [];
  /** Each webhook POST attempt. */
  readonly webhookDeliveries: WebhookDelivery[] = [];
  /** How many faults of each kind were injected. */
  readonly faultCounts: Record<FaultKind, number> = { "429": 0, "500": 0, drop: 0, dropAfter: 0, slow: 0 };
  /** setMyCommands state, keyed by `JSON.stringify(scope) + "|" + language_code`. */
  readonly myCommands = new Map<string, BotCommand[]>();

  private server!: http.Server;
  private port = 0;
  private readonly clock: FakeClock;
  private readonly events = new EventEmitter();
  private readonly chats = new Map<number, ChatState>();
  private readonly users = new Map<number, User>();
  private readonly blockedBy = new Set<number>();
  private readonly files = new Map<string, StoredFile>();
  private readonly callbackQueries = new Map<string, { answered: boolean; chatId: number; messageId: number }>();
  private readonly windows = new Map<string, number[]>();
  private readonly handlers: Map<string, { name: string; fn: Handler }>;
  private queue: Update[] = [];
  private nextUpdateId: number;
  private counter = 0;
  private poller: { wake: () => void; fail: (e: ApiError) => void } | undefined;
  private webhook: Webhook | undefined;
  /** The allowed_updates of the last getUpdates/setWebhook that named them (undefined: Telegram's default set). */
  private allowedUpdates: string[] | undefined;
  private pumping = false;
  private readonly attempts = new Map<number, number>();
  private readonly outgoing = new Set<http.ClientRequest>();
  private faults: FaultOptions | undefined;
  private random: () => number = Math.random;
  private closed = false;
  private readonly webhookRetryDelayMs: number;
  private readonly webhookMaxAttempts: number;
  private readonly webhookTimeoutMs: number;

  private constructor(private readonly options: FakeTelegramOptions) {
    this.token = options.token ?? "123456789:AAFakeTokenForTests";
    const id = Number(this.token.split(":")[0]);
    if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`FakeTelegram: token must look like "<bot id>:<secret>"`);
    this.privacyMode = options.privacyMode ?? true;
    this.rateLimits = options.rateLimits ?? {};
    this.clock = options.clock ?? { now: () => Date.now() };
    this.nextUpdateId = options.firstUpdateId ?? 100_000;
    this.webhookRetryDelayMs = options.webhookRetryDelayMs ?? 200;
    this.webhookMaxAttempts = options.webhookMaxAttempts ?? 5;
    this.webhookTimeoutMs = options.webhookTimeoutMs ?? 15_000;
    this.setFaults(options.faults);
    this.bot = {
      id,
      is_bot: true,
      first_name: options.botFirstName ?? "Báo cáo MTTQ (test)",
      username: options.botUsername ?? "baocao_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
    this.handlers = this.buildHandlers();
    this.events.setMaxListeners(0); // many concurrent waitFor calls are fine
  }

  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const fake = new FakeTelegram(options);
    fake.server = http.createServer((req, res) => {
      fake.handle(req, res).catch((err: unknown) => {
        const e = new ApiError(500, `Internal Server Error: fake-telegram: ${String(err)}`);
        fake.respond(res, 500, e.toJSON());
      });
    });
    await new Promise<void>((resolve, reject) => {
      fake.server.once("error", reject);
      fake.server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const addr = fake.server.address();
    if (addr === null || typeof addr === "string") throw new Error("FakeTelegram: no address");
    fake.port = addr.port;
    return fake;
  }

  /** "http://127.0.0.1:PORT": pass as grammY's `client.apiRoot`. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Updates delivered but not yet confirmed (polling) or not yet accepted (webhook). */
  get pendingUpdates(): readonly Update[] {
    return this.queue;
  }

  /** The update_id the next update will get (to name an update before it exists). */
  get nextUpdate(): number {
    return this.nextUpdateId;
  }

  /** The current webhook URL, or undefined when polling. */
  get webhookUrl(): string | undefined {
    return this.webhook?.url;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.poller?.wake();
    for (const req of this.outgoing) req.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ───────────── runtime switches ─────────────

  /** Replace the fault configuration (restarts the PRNG from the seed); undefined turns faults off. */
  setFaults(faults: FaultOptions | undefined): void {
    this.faults = faults;
    this.random = faults ? mulberry32(faults.seed) : Math.random;
  }

  /** Empty the sent/calls/updates/dropped/webhook logs (e.g. between benchmark phases); chat state is kept. */
  clearLogs(): void {
    for (const log of [this.sent, this.calls, this.updates, this.droppedByPrivacy, this.droppedByAllowedUpdates, this.webhookDeliveries] as unknown[][]) {
      log.length = 0;
    }
  }

  /** Forget all rate-limit history. */
  resetRateLimits(): void {
    this.windows.clear();
  }

  /** Make the bot an admin (receives all group messages, may delete others' messages) or not. */
  setBotAdmin(chatId: number, admin = true): void {
    this.requireChat(chatId).botIsAdmin = admin;
  }

  /**
   * The user blocks (or unblocks) the bot: sends to their private chat fail with 403. Like Telegram, the bot
   * gets a `my_chat_member` update (status kicked / member) unless `notify` is false (an update it missed).
   */
  userBlocksBot(userId: number, blocked = true, opts: { notify?: boolean } = {}): void {
    if (blocked) this.blockedBy.add(userId);
    else this.blockedBy.delete(userId);
    const state = this.chats.get(userId);
    if (state && opts.notify !== false) this.myChatMember(state, this.users.get(userId) ?? { id: userId, is_bot: false, first_name: `User ${userId}` }, blocked ? "kicked" : "member");
  }

  /**
   * The bot is removed from a group (sends fail with 403 "bot was kicked") or added back, by `by`. The bot gets
   * a `my_chat_member` update unless `notify` is false.
   */
  botRemovedFrom(chatId: number, removed = true, opts: { by?: UserInput; notify?: boolean } = {}): void {
    const state = this.requireChat(chatId);
    state.botRemoved = removed;
    if (opts.notify !== false) this.myChatMember(state, this.rememberUser(opts.by ?? { id: 1000, first_name: "Admin" }), removed ? "kicked" : "member");
  }

  private myChatMember(state: ChatState, from: User, status: "kicked" | "member"): void {
    const bot: User = { id: this.bot.id, is_bot: true, first_name: this.bot.first_name, username: this.bot.username };
    const member = (s: "kicked" | "member") => (s === "kicked" ? { status: "kicked" as const, user: bot, until_date: 0 } : { status: "member" as const, user: bot });
    this.deliver({
      update_id: this.nextUpdateId++,
      my_chat_member: {
        chat: state.chat,
        from,
        date: this.nowSec(),
        old_chat_member: member(status === "kicked" ? "member" : "kicked"),
        new_chat_member: member(status),
      },
    } as Update);
  }

  /** Register a chat the bot is in, without any message (e.g. for scheduled sends). */
  addChat(chat: ChatInput, opts: { botIsAdmin?: boolean; privateUser?: UserInput } = {}): NonChannelChat {
    const state = this.ensureChat(chat, opts.privateUser);
    if (opts.botIsAdmin !== undefined) state.botIsAdmin = opts.botIsAdmin;
    return state.chat;
  }

  /** A stored message (bot's or user's), as Telegram would return it. */
  getMessage(chatId: number, messageId: number): Message | undefined {
    return this.chats.get(chatId)?.messages.get(messageId);
  }

  /** Bytes and name of a file known to the server (uploaded by the bot or sent by a user). */
  getFileById(fileId: string): { filename: string; bytes: Buffer; mimeType: string } | undefined {
    return this.files.get(fileId);
  }

  /** Commands set for a scope/language (default scope, no language by default). */
  commandsFor(scope: object = { type: "default" }, languageCode = ""): BotCommand[] | undefined {
    return this.myCommands.get(`${JSON.stringify(scope)}|${languageCode}`);
  }

  // ───────────── user-side simulation ─────────────

  /** A user sends a text message. Returns the update (delivered, or recorded in droppedByPrivacy). */
  userSays(input: UserSaysInput): Update {
    const entities = [...commandEntity(input.text), ...(input.entities ?? [])];
    return this.userMessage(input, { text: input.text, ...(entities.length ? { entities: sortEntities(entities) } : {}) });
  }

  userSendsSticker(input: UserMessageBase & { emoji?: string }): Update {
    const n = ++this.counter;
    return this.userMessage(input, {
      sticker: {
        file_id: `CAACAgIAAxkBfake-sticker-${n}`,
        file_unique_id: `AgADsticker${n}`,
        type: "regular",
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: input.emoji ?? "👍",
      },
    });
  }

  userSendsPhoto(input: UserMessageBase & { caption?: string; bytes?: Buffer; width?: number; height?: number }): Update {
    const bytes = input.bytes ?? Buffer.from("fake-jpeg");
    const file = this.storeFile("photo.jpg", bytes, "photos");
    const w = input.width ?? 1280;
    const h = input.height ?? 960;
    const captionEntities = input.caption !== undefined ? commandEntity(input.caption) : [];
    return this.userMessage(input, {
      photo: [
        { file_id: `${file.fileId}-s`, file_unique_id: `${file.uniqueId}-s`, width: 90, height: Math.round((90 * h) / w), file_size: 1000 },
        { file_id: file.fileId, file_unique_id: file.uniqueId, width: w, height: h, file_size: bytes.length },
      ],
      ...(input.caption !== undefined ? { caption: input.caption } : {}),
      ...(captionEntities.length ? { caption_entities: captionEntities } : {}),
    });
  }

  userSendsDocument(input: UserMessageBase & { filename: string; bytes: Buffer; mimeType?: string; caption?: string }): Update {
    const file = this.storeFile(input.filename, input.bytes, "documents", input.mimeType);
    const captionEntities = input.caption !== undefined ? commandEntity(input.caption) : [];
    return this.userMessage(input, {
      document: { file_id: file.fileId, file_unique_id: file.uniqueId, file_name: file.filename, mime_type: file.mimeType, file_size: file.bytes.length },
      ...(input.caption !== undefined ? { caption: input.caption } : {}),
      ...(captionEntities.length ? { caption_entities: captionEntities } : {}),
    });
  }

  /** A user edits their earlier text message → `edited_message`. */
  userEdits(input: UserEditsInput): Update {
    const state = this.chatForUser(input.chat, input.from);
    const user = this.rememberUser(input.from);
    const old = state.messages.get(input.messageId);
    if (!old) throw new Error(`userEdits: no message ${input.messageId} in chat ${state.chat.id}`);
    if (old.from?.id !== user.id) throw new Error(`userEdits: message ${input.messageId} was not sent by user ${user.id}`);
    const entities = sortEntities([...commandEntity(input.text), ...(input.entities ?? [])]);
    const edited: Message = { ...old, text: input.text, entities: entities.length ? entities : undefined, edit_date: this.nowSec() };
    state.messages.set(old.message_id, edited);
    const update: Update = {
      update_id: this.nextUpdateId++,
      edited_message: edited as Message & Update.Edited & Update.NonChannel,
    };
    return this.deliverUserUpdate(update, edited, state);
  }

  /** A user presses an inline button on a message → `callback_query` (always delivered). */
  userPresses(input: UserPressesInput): Update {
    const state = this.chatForUser(input.chat, input.from);
    const from = this.rememberUser(input.from);
    const message = state.messages.get(input.messageId);
    if (!message) throw new Error(`userPresses: no message ${input.messageId} in chat ${state.chat.id}`);
    const id = String(4_000_000_000_000_000 + ++this.counter);
    this.callbackQueries.set(id, { answered: false, chatId: state.chat.id, messageId: message.message_id });
    const update: Update = {
      update_id: this.nextUpdateId++,
      callback_query: { id, from, message, chat_instance: `ci${Math.abs(state.chat.id)}`, data: input.data },
    };
    this.deliver(update);
    return update;
  }

  /**
   * A group is upgraded to a supergroup: the old chat gets `migrate_to_chat_id`, the new one
   * `migrate_from_chat_id`; sends to the old id fail from now on with 400 and `parameters.migrate_to_chat_id`.
   */
  migrateGroup(oldId: number, newId: number, opts: { by?: UserInput } = {}): { migrateTo: Update; migrateFrom: Update } {
    const old = this.requireChat(oldId);
    if (old.chat.type !== "group") throw new Error(`migrateGroup: chat ${oldId} is a ${old.chat.type}, not a group`);
    const title = old.chat.title;
    const by = this.rememberUser(opts.by ?? { id: 1000, first_name: "Admin" });
    const fresh = this.ensureChat({ id: newId, type: "supergroup", title });
    fresh.botIsAdmin = old.botIsAdmin;
    const date = this.nowSec();
    const toMsg: Message = { message_id: this.nextMessageId(old), from: by, chat: old.chat, date, migrate_to_chat_id: newId };
    old.messages.set(toMsg.message_id, toMsg);
    old.migratedTo = newId;
    const fromMsg: Message = { message_id: this.nextMessageId(fresh), from: by, chat: fresh.chat, date, migrate_from_chat_id: oldId };
    fresh.messages.set(fromMsg.message_id, fromMsg);
    const migrateTo: Update = { update_id: this.nextUpdateId++, message: toMsg as Message & Update.NonChannel };
    const migrateFrom: Update = { update_id: this.nextUpdateId++, message: fromMsg as Message & Update.NonChannel };
    this.deliver(migrateTo);
    this.deliver(migrateFrom);
    return { migrateTo, migrateFrom };
  }

  /** Deliver any update as is (no privacy filtering). update_id is assigned when missing. */
  injectRaw(update: Omit<Update, "update_id"> & { update_id?: number }): Update {
    const full = { ...update, update_id: update.update_id ?? this.nextUpdateId++ } as Update;
    if (full.update_id >= this.nextUpdateId) this.nextUpdateId = full.update_id + 1;
    const msg = full.message;
    if (msg) {
      const state = this.chats.get(msg.chat.id) ?? this.registerChat(msg.chat);
      state.messages.set(msg.message_id, msg);
      state.nextMessageId = Math.max(state.nextMessageId, msg.message_id + 1);
      this.rememberUser(msg.from);
    }
    this.deliver(full);
    return full;
  }

  // ───────────── assertions helpers ─────────────

  /** New messages (sendMessage/sendDocument/sendPhoto/each photo of an album) the bot sent to a chat. */
  messagesTo(chatId: number): SentEntry[] {
    return this.sent.filter((e) => e.chatId === chatId && NEW_MESSAGE_METHODS.has(e.method));
  }

  /** Photos (alone or in albums) the bot sent to a chat. */
  photosTo(chatId: number): SentEntry[] {
    return this.sent.filter((e) => e.chatId === chatId && (e.method === "sendPhoto" || e.method === "sendMediaGroup"));
  }

  lastTo(chatId: number): SentEntry | undefined {
    return this.messagesTo(chatId).at(-1);
  }

  /** Edits (text or markup) of a message; pass chatId when ids may repeat across chats. */
  editsOf(messageId: number, chatId?: number): SentEntry[] {
    return this.sent.filter(
      (e) =>
        (e.method === "editMessageText" || e.method === "editMessageReplyMarkup") &&
        e.messageId === messageId &&
        (chatId === undefined || e.chatId === chatId),
    );
  }

  /** All calls of a method (case-insensitive), successful or not, in arrival order. */
  callsOf(method: string): ApiCall[] {
    const m = method.toLowerCase();
    return this.calls.filter((c) => c.method.toLowerCase() === m);
  }

  /**
   * Resolves with the first sent entry (from index `fromIndex`, default 0) matching the predicate,
   * waiting for new ones up to `timeoutMs` real milliseconds.
   */
  waitFor(predicate: (e: SentEntry) => boolean, timeoutMs = 5000, opts: { fromIndex?: number } = {}): Promise<SentEntry> {
    const found = this.sent.slice(opts.fromIndex ?? 0).find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onSent = (e: SentEntry): void => {
        if (!predicate(e)) return;
        clearTimeout(timer);
        this.events.off("sent", onSent);
        resolve(e);
      };
      const timer = setTimeout(() => {
        this.events.off("sent", onSent);
        reject(new Error(`FakeTelegram.waitFor: nothing matched within ${timeoutMs} ms. ${this.describeLastSent()}`));
      }, timeoutMs);
      this.events.on("sent", onSent);
    });
  }

  /** Resolves once every delivered update has been confirmed (polling) or accepted (webhook). */
  waitUntilConsumed(timeoutMs = 5000): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onConsumed = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.events.off("consumed", onConsumed);
        reject(new Error(`FakeTelegram.waitUntilConsumed: ${this.queue.length} update(s) still pending after ${timeoutMs} ms`));
      }, timeoutMs);
      this.events.once("consumed", onConsumed);
    });
  }

  /** Subscribe to sent entries / delivered updates. Returns an unsubscribe function. */
  on(event: "sent", listener: (e: SentEntry) => void): () => void;
  on(event: "update", listener: (u: Update) => void): () => void;
  on(event: "sent" | "update", listener: ((e: SentEntry) => void) | ((u: Update) => void)): () => void {
    const l = listener as (...args: unknown[]) => void;
    this.events.on(event, l);
    return () => this.events.off(event, l);
  }

  private describeLastSent(): string {
    const last = this.sent.slice(-10);
    if (last.length === 0) return "The bot has sent nothing.";
    const lines = last.map(
      (e) => `  - ${e.method} → chat ${e.chatId} #${e.messageId}: ${JSON.stringify((e.text ?? e.caption ?? e.document?.filename ?? "").slice(0, 200))}`,
    );
    return `Last ${last.length} sent:\n${lines.join("\n")}`;
  }

  // ───────────── HTTP plumbing ─────────────

  private respond(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.headersSent || res.destroyed) return;
    const s = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(s) });
    res.end(s);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname);
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
    if (fileMatch) return this.serveFile(fileMatch[1] ?? "", fileMatch[2] ?? "", res);
    const m = /^\/bot([^/]+)\/(?:test\/)?([A-Za-z]+)$/.exec(path);
    if (!m) return this.respond(res, 404, new ApiError(404, "Not Found").toJSON());
    if (m[1] !== this.token) return this.respond(res, 401, new ApiError(401, "Unauthorized").toJSON());
    const entry = this.handlers.get((m[2] ?? "").toLowerCase());
    if (!entry) return this.respond(res, 404, new ApiError(404, "Not Found: method not found").toJSON());

    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e instanceof ApiError) return this.respond(res, e.code, e.toJSON());
      throw e;
    }
    let raw: Record<string, unknown>;
    try {
      raw = parseRequestParams(url.searchParams, req.headers["content-type"], body);
    } catch (e) {
      if (e instanceof ApiError) return this.respond(res, e.code, e.toJSON());
      throw e;
    }
    const call: ApiCall = { method: entry.name, params: raw, at: this.nowMs(), status: 0 };
    this.calls.push(call);

    let dropAfter = false;
    if (this.faults && (this.faults.methods ?? DEFAULT_FAULT_METHODS).includes(entry.name)) {
      const f = this.faults;
      const u = this.random();
      const r429 = f.rate429 ?? 0;
      const r500 = r429 + (f.rate500 ?? 0);
      const rDrop = r500 + (f.rateDrop ?? 0);
      const rDropAfter = rDrop + (f.rateDropAfter ?? 0);
      if (u < r429) {
        const retry = f.retryAfter ?? 1;
        return this.fail(res, call, "429", new ApiError(429, `Too Many Requests: retry after ${retry}`, { retry_after: retry }));
      }
      if (u < r500) return this.fail(res, call, "500", new ApiError(500, "Internal Server Error"));
      if (u < rDrop) {
        call.fault = "drop";
        this.faultCounts.drop++;
        req.socket.destroy();
        return;
      }
      dropAfter = u < rDropAfter;
      if (f.rateSlow !== undefined && this.random() < f.rateSlow) {
        const [min, max] = f.slowMs ?? [100, 500];
        this.faultCounts.slow++;
        call.fault = "slow";
        await sleep(min + (max - min) * this.random());
      }
    }

    try {
      const result = await entry.fn(new Params(raw), { res });
      if (dropAfter) {
        call.fault = "dropAfter";
        this.faultCounts.dropAfter++;
        req.socket.destroy();
        return;
      }
      call.status = 200;
      this.respond(res, 200, { ok: true, result });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      call.status = e.code;
      call.description = e.description;
      this.respond(res, e.code, e.toJSON());
    }
  }

  private fail(res: http.ServerResponse, call: ApiCall, kind: FaultKind, e: ApiError): void {
    call.fault = kind;
    call.status = e.code;
    call.description = e.description;
    this.faultCounts[kind]++;
    this.respond(res, e.code, e.toJSON());
  }

  private serveFile(token: string, filePath: string, res: http.ServerResponse): void {
    if (token !== this.token) return this.respond(res, 401, new ApiError(401, "Unauthorized").toJSON());
    const file = [...this.files.values()].find((f) => f.path === filePath);
    if (!file) return this.respond(res, 404, new ApiError(404, "Not Found").toJSON());
    res.writeHead(200, { "content-type": file.mimeType, "content-length": file.bytes.length });
    res.end(file.bytes);
  }

  // ───────────── method table ─────────────

  private buildHandlers(): Map<string, { name: string; fn: Handler }> {
    const table: Record<string, Handler> = {
      getMe: () => ({ ...this.bot, can_read_all_group_messages: !this.privacyMode }),
      getUpdates: (p, ctx) => this.getUpdates(p, ctx),
      setWebhook: (p) => this.setWebhook(p),
      deleteWebhook: (p) => {
        if (p.bool("drop_pending_updates")) this.dropPending();
        this.webhook = undefined;
        return true;
      },
      getWebhookInfo: () => this.webhookInfo(),
      sendMessage: (p) => this.sendMessage(p),
      sendDocument: (p) => this.sendDocument(p),
      sendPhoto: (p) => this.sendPhoto(p),
      sendMediaGroup: (p) => this.sendMediaGroup(p),
      editMessageText: (p) => this.editMessageText(p),
      editMessageReplyMarkup: (p) => this.editMessageReplyMarkup(p),
      deleteMessage: (p) => this.deleteMessage(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      sendChatAction: (p) => {
        this.targetChat(p.chatId());
        if (!CHAT_ACTIONS.has(p.str("action") ?? "")) throw bad("wrong parameter action in request");
        return true;
      },
      getChat: (p) => this.getChat(p),
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => this.commandsFor(scopeOf(p), p.str("language_code") ?? "") ?? [],
      deleteMyCommands: (p) => {
        this.myCommands.delete(`${JSON.stringify(scopeOf(p))}|${p.str("language_code") ?? ""}`);
        return true;
      },
      getFile: (p) => {
        const f = this.files.get(p.str("file_id") ?? "");
        if (!f) throw bad("invalid file_id");
        return { file_id: f.fileId, file_unique_id: f.uniqueId, file_size: f.bytes.length, file_path: f.path };
      },
      close: () => true,
      logOut: () => true,
    };
    return new Map(Object.entries(table).map(([name, fn]) => [name.toLowerCase(), { name, fn }]));
  }

  // ───────────── updates: polling and webhook ─────────────

  private deliver(update: Update): void {
    this.updates.push(update);
    this.queue.push(update);
    this.events.emit("update", update);
    if (this.webhook) void this.pumpWebhook();
    else this.poller?.wake();
  }

  private deliverUserUpdate(update: Update, msg: Message, state: ChatState): Update {
    if (this.wouldReceive(msg, state)) this.deliver(update);
    else this.droppedByPrivacy.push(update);
    return update;
  }

  /** What a bot in privacy mode receives from a group. */
  private wouldReceive(msg: Message, state: ChatState): boolean {
    if (state.chat.type === "private" || !this.privacyMode || state.botIsAdmin) return true;
    if (msg.reply_to_message?.from?.id === this.bot.id) return true;
    if (msg.via_bot?.id === this.bot.id) return true;
    const text = msg.text ?? msg.caption ?? "";
    const entities = msg.entities ?? msg.caption_entities ?? [];
    return entities.some((e) => {
      if (e.type !== "bot_command") return false;
      const cmd = text.slice(e.offset, e.offset + e.length);
      const at = cmd.indexOf("@");
      return at < 0 || cmd.slice(at + 1).toLowerCase() === this.bot.username.toLowerCase();
    });
  }

  private setConsumedIfEmpty(): void {
    if (this.queue.length === 0) this.events.emit("consumed");
  }

  private dropPending(): void {
    this.queue = [];
    this.setConsumedIfEmpty();
  }

  /** Telegram leaves out update types the bot did not ask for (when it named any). */
  private filterAllowed(): void {
    const allowed = this.allowedUpdates;
    if (!allowed || allowed.length === 0) return;
    const keep: Update[] = [];
    for (const u of this.queue) {
      const type = Object.keys(u).find((k) => k !== "update_id") ?? "";
      (allowed.includes(type) ? keep : this.droppedByAllowedUpdates).push(u);
    }
    if (keep.length !== this.queue.length) {
      this.queue = keep;
      this.setConsumedIfEmpty();
    }
  }

  private async getUpdates(p: Params, ctx: CallContext): Promise<Update[]> {
    if (this.webhook) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const allowed = p.json("allowed_updates");
    if (Array.isArray(allowed)) this.allowedUpdates = allowed.map(String);
    const offset = p.int("offset");
    const limit = Math.min(100, Math.max(1, p.int("limit") ?? 100));
    const timeout = Math.max(0, p.int("timeout") ?? 0);
    if (offset !== undefined && offset !== 0) {
      const before = this.queue.length;
      this.queue = offset < 0 ? this.queue.slice(offset) : this.queue.filter((u) => u.update_id >= offset);
      if (before > 0) this.setConsumedIfEmpty();
    }
    this.poller?.fail(new ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"));
    this.filterAllowed();
    if (this.queue.length === 0 && timeout > 0 && !this.closed) {
      await new Promise<void>((resolve, reject) => {
        const cleanup = (): void => {
          clearTimeout(timer);
          ctx.res.off("close", done);
          if (this.poller === waiter) this.poller = undefined;
        };
        const done = (): void => {
          cleanup();
          resolve();
        };
        const waiter = {
          wake: done,
          fail: (e: ApiError) => {
            cleanup();
            reject(e);
          },
        };
        const timer = setTimeout(done, timeout * 1000);
        ctx.res.on("close", done);
        this.poller = waiter;
      });
    }
    this.filterAllowed();
    return this.queue.slice(0, limit);
  }

  private setWebhook(p: Params): true {
    const url = p.str("url") ?? "";
    const secret = p.str("secret_token");
    if (secret !== undefined && secret !== "" && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw bad("secret token contains unallowed characters");
    }
    if (p.bool("drop_pending_updates")) this.dropPending();
    if (url === "") {
      this.webhook = undefined;
      return true;
    }
    if (!/^https?:\/\/[^\s/]+/i.test(url)) throw bad("bad webhook: Failed to resolve host: Name or service not known");
    this.webhook = {
      url,
      ...(secret ? { secretToken: secret } : {}),
      maxConnections: p.int("max_connections") ?? 40,
      allowedUpdates: p.json("allowed_updates"),
    };
    const allowed = p.json("allowed_updates");
    if (Array.isArray(allowed)) this.allowedUpdates = allowed.map(String);
    this.poller?.fail(new ApiError(409, "Conflict: terminated by setWebhook request"));
    void this.pumpWebhook();
    return true;
  }

  private webhookInfo(): Record<string, unknown> {
    const w = this.webhook;
    return {
      url: w?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
      ...(w?.lastErrorDate !== undefined ? { last_error_date: w.lastErrorDate, last_error_message: w.lastErrorMessage } : {}),
      ...(w ? { max_connections: w.maxConnections, ip_address: "127.0.0.1" } : {}),
      ...(w?.allowedUpdates !== undefined ? { allowed_updates: w.allowedUpdates } : {}),
    };
  }

  /** Delivers queued updates one at a time, in order, retrying failures like Telegram. */
  private async pumpWebhook(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && this.webhook && this.queue.length > 0) {
        this.filterAllowed();
        if (this.queue.length === 0) break;
        const wh = this.webhook;
        const update = this.queue[0];
        if (!update) break;
        const attempt = (this.attempts.get(update.update_id) ?? 0) + 1;
        this.attempts.set(update.update_id, attempt);
        const result = await this.postUpdate(wh, update);
        this.webhookDeliveries.push({
          updateId: update.update_id,
          attempt,
          url: wh.url,
          ...(wh.secretToken ? { secretToken: wh.secretToken } : {}),
          ...result,
          at: this.nowMs(),
        });
        if (this.closed) break;
        const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
        if (ok || attempt >= this.webhookMaxAttempts) {
          if (this.queue[0] === update) this.queue.shift();
          this.attempts.delete(update.update_id);
          if (ok && result.body) this.runWebhookReply(result.body);
          this.setConsumedIfEmpty();
        }
        if (!ok) {
          wh.lastErrorDate = this.nowSec();
          wh.lastErrorMessage = result.error ?? `Wrong response from the webhook: ${result.status} ${http.STATUS_CODES[result.status ?? 0] ?? ""}`.trim();
          await sleep(this.webhookRetryDelayMs);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private postUpdate(wh: Webhook, update: Update): Promise<{ status?: number; error?: string; body?: string }> {
    const payload = Buffer.from(JSON.stringify(update));
    return new Promise((resolve) => {
      const headers: http.OutgoingHttpHeaders = { "content-type": "application/json", "content-length": payload.length };
      if (wh.secretToken) headers["X-Telegram-Bot-Api-Secret-Token"] = wh.secretToken;
      const req = http.request(wh.url, { method: "POST", headers, agent: false, timeout: this.webhookTimeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          this.outgoing.delete(req);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", (e) => {
          this.outgoing.delete(req);
          resolve({ error: e.message });
        });
      });
      this.outgoing.add(req);
      req.on("timeout", () => req.destroy(new Error("Read timeout expired")));
      req.on("error", (e) => {
        this.outgoing.delete(req);
        resolve({ error: e.message });
      });
      req.end(payload);
    });
  }

  /** Telegram executes a method returned in the webhook response body, ignoring its result. */
  private runWebhookReply(body: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (typeof parsed !== "object" || parsed === null) return;
    const { method, ...rest } = parsed as Record<string, unknown>;
    if (typeof method !== "string") return;
    const entry = this.handlers.get(method.toLowerCase());
    const call: ApiCall = { method: entry?.name ?? method, params: rest, at: this.nowMs(), status: 0, viaWebhookReply: true };
    this.calls.push(call);
    if (!entry || entry.name === "getUpdates") return;
    try {
      const r = entry.fn(new Params(rest), { res: undefined as unknown as http.ServerResponse });
      if (r instanceof Promise) r.catch(() => undefined);
      call.status = 200;
    } catch (e) {
      if (e instanceof ApiError) {
        call.status = e.code;
        call.description = e.description;
      }
    }
  }

  // ───────────── chats, users, files ─────────────

  private nowMs(): number {
    const v = this.clock.now();
    return typeof v === "number" ? v : v.getTime();
  }

  private nowSec(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  private nextMessageId(state: ChatState): number {
    return state.nextMessageId++;
  }

  private rememberUser(u: UserInput | User): User {
    const user: User = { is_bot: false, ...u };
    this.users.set(user.id, user);
    return user;
  }

  private registerChat(chat: NonChannelChat): ChatState {
    const state: ChatState = { chat, nextMessageId: 1, messages: new Map(), botIsAdmin: false, botRemoved: false };
    this.chats.set(chat.id, state);
    return state;
  }

  private ensureChat(input: ChatInput, privateUser?: UserInput): ChatState {
    const existing = this.chats.get(input.id);
    if (existing) return existing;
    let chat: NonChannelChat;
    if (input.type === "private") {
      if (input.id <= 0) throw new Error(`FakeTelegram: a private chat id must be positive (got ${input.id})`);
      chat = {
        id: input.id,
        type: "private",
        first_name: privateUser?.first_name ?? input.title ?? `User ${input.id}`,
        ...(privateUser?.last_name ? { last_name: privateUser.last_name } : {}),
        ...((privateUser?.username ?? input.username) ? { username: privateUser?.username ?? input.username } : {}),
      };
    } else {
      if (input.id >= 0) throw new Error(`FakeTelegram: a group chat id must be negative (got ${input.id})`);
      const title = input.title ?? `Group ${input.id}`;
      chat =
        input.type === "group"
          ? { id: input.id, type: "group", title }
          : { id: input.id, type: "supergroup", title, ...(input.username ? { username: input.username } : {}) };
    }
    return this.registerChat(chat);
  }

  private chatForUser(chat: ChatInput, from: UserInput): ChatState {
    if (chat.type === "private" && chat.id !== from.id) {
      throw new Error(`FakeTelegram: private chat id (${chat.id}) must equal the user id (${from.id})`);
    }
    const state = this.ensureChat(chat, from);
    if (state.migratedTo !== undefined) {
      throw new Error(`FakeTelegram: chat ${chat.id} was migrated to ${state.migratedTo}; users now write there`);
    }
    return state;
  }

  private requireChat(chatId: number): ChatState {
    const state = this.chats.get(chatId);
    if (!state) throw new Error(`FakeTelegram: unknown chat ${chatId} (use addChat or userSays first)`);
    return state;
  }

  private userMessage(input: UserMessageBase, content: Partial<Message>): Update {
    const state = this.chatForUser(input.chat, input.from);
    const from = this.rememberUser(input.from);
    let reply: Message | undefined;
    if (input.replyTo !== undefined) {
      const target = state.messages.get(input.replyTo);
      if (!target) throw new Error(`FakeTelegram: cannot reply to missing message ${input.replyTo} in chat ${state.chat.id}`);
      reply = { ...target, reply_to_message: undefined };
    }
    const msg = {
      message_id: this.nextMessageId(state),
      from,
      chat: state.chat,
      date: this.nowSec(),
      ...(reply ? { reply_to_message: reply } : {}),
      ...content,
    } as Message & Update.NonChannel;
    state.messages.set(msg.message_id, msg);
    return this.deliverUserUpdate({ update_id: this.nextUpdateId++, message: msg }, msg, state);
  }

  private storeFile(filename: string, bytes: Buffer, folder: string, mimeType?: string): StoredFile {
    const n = ++this.counter;
    const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? "dat";
    const file: StoredFile = {
      fileId: `BQACAgIAAxkDfake-${folder}-${n}`,
      uniqueId: `AgADfake${n}`,
      filename,
      bytes,
      mimeType: mimeType ?? MIME[ext] ?? "application/octet-stream",
      path: `${folder}/file_${n}.${ext}`,
    };
    this.files.set(file.fileId, file);
    return file;
  }

  /** Resolves a chat the bot is allowed to post to, with Telegram's errors otherwise. */
  private targetChat(chatId: number | string | undefined): ChatState {
    if (chatId === undefined) throw bad("chat_id is empty");
    const state =
      typeof chatId === "string"
        ? [...this.chats.values()].find((c) => "username" in c.chat && c.chat.username?.toLowerCase() === chatId.slice(1).toLowerCase())
        : this.chats.get(chatId);
    if (!state) {
      if (typeof chatId === "number" && chatId > 0) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
      throw bad("chat not found");
    }
    if (state.migratedTo !== undefined) {
      throw new ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrate_to_chat_id: state.migratedTo });
    }
    if (state.botRemoved) throw new ApiError(403, `Forbidden: bot was kicked from the ${state.chat.type} chat`);
    if (state.chat.type === "private" && this.blockedBy.has(state.chat.id)) throw new ApiError(403, "Forbidden: bot was blocked by the user");
    return state;
  }

  // ───────────── rate limits ─────────────

  private rateWindows(state: ChatState): Array<[string, RateWindow]> {
    if (this.rateLimits === false) return [];
    const cfg = this.rateLimits;
    const out: Array<[string, RateWindow]> = [];
    const perChat = state.chat.type === "private" ? (cfg.private ?? DEFAULT_RATE_LIMITS.private) : (cfg.group ?? DEFAULT_RATE_LIMITS.group);
    if (perChat) out.push([`chat:${state.chat.id}`, perChat]);
    const global = cfg.global ?? DEFAULT_RATE_LIMITS.global;
    if (global) out.push(["global", global]);
    return out;
  }

  private rateCheck(state: ChatState): void {
    const now = this.nowMs();
    let retry = 0;
    for (const [key, w] of this.rateWindows(state)) {
      const hits = (this.windows.get(key) ?? []).filter((t) => t > now - w.windowMs);
      this.windows.set(key, hits);
      const oldest = hits[hits.length - w.limit];
      if (hits.length >= w.limit && oldest !== undefined) {
        retry = Math.max(retry, Math.max(1, Math.ceil((oldest + w.windowMs - now) / 1000)));
      }
    }
    if (retry > 0) throw new ApiError(429, `Too Many Requests: retry after ${retry}`, { retry_after: retry });
  }

  private rateHit(state: ChatState): void {
    const now = this.nowMs();
    for (const [key] of this.rateWindows(state)) {
      const hits = this.windows.get(key) ?? [];
      hits.push(now);
      this.windows.set(key, hits);
    }
  }

  // ───────────── send/edit methods ─────────────

  private formatted(p: Params, textKey: string, entitiesKey: string): Formatted & { raw: string } {
    const raw = p.str(textKey) ?? "";
    const explicit = p.json(entitiesKey);
    if (explicit !== undefined && !Array.isArray(explicit)) throw bad(`field "${entitiesKey}" must be an Array`);
    const fmt = parseFormatted(raw, p.str("parse_mode"), explicit as MessageEntity[] | undefined, (id) => this.users.get(id));
    return { ...fmt, raw };
  }

  private checkText(text: string): void {
    if (text.trim() === "") throw bad("message text is empty");
    if (codePoints(text) > 4096) throw bad("message is too long");
  }

  private replyTarget(state: ChatState, p: Params): Message | undefined {
    let rp = p.json("reply_parameters") as ReplyParameters | undefined;
    const legacy = p.int("reply_to_message_id");
    if (rp === undefined && legacy !== undefined) {
      rp = { message_id: legacy, allow_sending_without_reply: p.bool("allow_sending_without_reply") ?? false };
    }
    if (rp === undefined) return undefined;
    if (typeof rp !== "object" || typeof rp.message_id !== "number") throw bad("can't parse reply parameters JSON object");
    const where = rp.chat_id !== undefined ? this.targetChat(typeof rp.chat_id === "string" && /^-?\d+$/.test(rp.chat_id) ? Number(rp.chat_id) : rp.chat_id) : state;
    const target = where.messages.get(rp.message_id);
    if (!target) {
      if (rp.allow_sending_without_reply) return undefined;
      throw bad("message to be replied not found");
    }
    return { ...target, reply_to_message: undefined };
  }

  private record(entry: Omit<SentEntry, "at">): void {
    const full: SentEntry = { ...entry, at: this.nowMs() };
    this.sent.push(full);
    this.events.emit("sent", full);
  }

  private botMessage(state: ChatState, content: Partial<Message>, reply: Message | undefined, markup: ReplyMarkup | undefined): Message {
    const msg = {
      message_id: this.nextMessageId(state),
      from: { id: this.bot.id, is_bot: true, first_name: this.bot.first_name, username: this.bot.username },
      chat: state.chat,
      date: this.nowSec(),
      ...(reply ? { reply_to_message: reply } : {}),
      ...content,
      ...(isInline(markup) ? { reply_markup: markup } : {}),
    } as Message;
    state.messages.set(msg.message_id, msg);
    this.rateHit(state);
    return msg;
  }

  private sendMessage(p: Params): Message {
    const state = this.targetChat(p.chatId());
    const fmt = this.formatted(p, "text", "entities");
    this.checkText(fmt.text);
    const markup = validateReplyMarkup(p.json("reply_markup"));
    const reply = this.replyTarget(state, p);
    this.rateCheck(state);
    const msg = this.botMessage(state, { text: fmt.text, ...(fmt.entities.length ? { entities: fmt.entities } : {}) }, reply, markup);
    const parseMode = p.str("parse_mode");
    this.record({
      method: "sendMessage",
      chatId: state.chat.id,
      messageId: msg.message_id,
      text: fmt.text,
      rawText: fmt.raw,
      ...(fmt.entities.length ? { entities: fmt.entities } : {}),
      ...(parseMode ? { parseMode } : {}),
      ...(markup ? { replyMarkup: markup } : {}),
      ...(reply ? { replyTo: reply.message_id } : {}),
      params: p.raw,
    });
    return msg;
  }

  private sendDocument(p: Params): Message {
    const state = this.targetChat(p.chatId());
    const doc = p.upload("document");
    if (doc === undefined || doc === "") throw bad("there is no document in the request");
    if (typeof doc !== "string") {
      if (doc.bytes.length === 0) throw bad("file must be non-empty");
      if (doc.bytes.length > 50 * 1024 * 1024) throw new ApiError(413, "Request Entity Too Large");
    } else if (!this.files.has(doc) && !/^https?:\/\//i.test(doc)) {
      throw bad("wrong file identifier/HTTP URL specified");
    }
    const fmt = this.formatted(p, "caption", "caption_entities");
    if (codePoints(fmt.text) > 1024) throw bad("message caption is too long");
    const markup = validateReplyMarkup(p.json("reply_markup"));
    const reply = this.replyTarget(state, p);
    this.rateCheck(state);
    const file =
      typeof doc !== "string"
        ? this.storeFile(doc.filename, doc.bytes, "documents")
        : (this.files.get(doc) ?? this.storeFile(decodeURIComponent(doc.split(/[?#]/)[0]?.split("/").pop() || "file"), Buffer.alloc(0), "documents"));
    const msg = this.botMessage(
      state,
      {
        document: { file_id: file.fileId, file_unique_id: file.uniqueId, file_name: file.filename, mime_type: file.mimeType, file_size: file.bytes.length },
        ...(fmt.text ? { caption: fmt.text } : {}),
        ...(fmt.entities.length ? { caption_entities: fmt.entities } : {}),
      },
      reply,
      markup,
    );
    const parseMode = p.str("parse_mode");
    this.record({
      method: "sendDocument",
      chatId: state.chat.id,
      messageId: msg.message_id,
      ...(fmt.text ? { caption: fmt.text } : {}),
      ...(fmt.entities.length ? { entities: fmt.entities } : {}),
      ...(parseMode ? { parseMode } : {}),
      ...(markup ? { replyMarkup: markup } : {}),
      ...(reply ? { replyTo: reply.message_id } : {}),
      document: { filename: file.filename, bytes: file.bytes, mimeType: file.mimeType, fileId: file.fileId },
      params: p.raw,
    });
    return msg;
  }

  /** An uploaded photo checked as Telegram does: an image, at most 10 MB, width + height ≤ 10000, ratio ≤ 20. */
  private photoUpload(v: UploadedFile | string | undefined, what = "photo"): { filename: string; bytes: Buffer; width: number; height: number } {
    if (v === undefined || v === "") throw bad(`there is no ${what} in the request`);
    if (typeof v === "string") throw bad("wrong file identifier/HTTP URL specified");
    if (v.bytes.length > 10 * 1024 * 1024) throw bad("PHOTO_SAVE_FILE_INVALID");
    const size = imageSize(v.bytes);
    if (!size) throw bad("IMAGE_PROCESS_FAILED");
    if (size.width + size.height > 10_000 || Math.max(size.width / size.height, size.height / size.width) > 20) throw bad("PHOTO_INVALID_DIMENSIONS");
    return { filename: v.filename, bytes: v.bytes, ...size };
  }

  private photoMessage(state: ChatState, photo: { filename: string; bytes: Buffer; width: number; height: number }, extra: Partial<Message>, reply: Message | undefined, markup: ReplyMarkup | undefined): { msg: Message; file: StoredFile } {
    const file = this.storeFile(photo.filename, photo.bytes, "photos");
    const scaled = (max: number) => {
      const k = Math.min(1, max / Math.max(photo.width, photo.height));
      return { width: Math.round(photo.width * k), height: Math.round(photo.height * k) };
    };
    const msg = this.botMessage(
      state,
      {
        photo: [
          { file_id: `${file.fileId}-s`, file_unique_id: `${file.uniqueId}-s`, ...scaled(90), file_size: 1000 },
          { file_id: file.fileId, file_unique_id: file.uniqueId, ...scaled(2560), file_size: photo.bytes.length },
        ],
        ...extra,
      },
      reply,
      markup,
    );
    return { msg, file };
  }

  private sendPhoto(p: Params): Message {
    const state = this.targetChat(p.chatId());
    const photo = this.photoUpload(p.upload("photo"));
    const fmt = this.formatted(p, "caption", "caption_entities");
    if (codePoints(fmt.text) > 1024) throw bad("message caption is too long");
    const markup = validateReplyMarkup(p.json("reply_markup"));
    const reply = this.replyTarget(state, p);
    this.rateCheck(state);
    const { msg, file } = this.photoMessage(
      state,
      photo,
      { ...(fmt.text ? { caption: fmt.text } : {}), ...(fmt.entities.length ? { caption_entities: fmt.entities } : {}) },
      reply,
      markup,
    );
    this.record({
      method: "sendPhoto",
      chatId: state.chat.id,
      messageId: msg.message_id,
      ...(fmt.text ? { caption: fmt.text } : {}),
      ...(fmt.entities.length ? { entities: fmt.entities } : {}),
      ...(markup ? { replyMarkup: markup } : {}),
      ...(reply ? { replyTo: reply.message_id } : {}),
      photo: { filename: file.filename, bytes: file.bytes, fileId: file.fileId, width: photo.width, height: photo.height },
      params: p.raw,
    });
    return msg;
  }

  /** An album: 2–10 photos (`attach://` uploads), each with its own optional caption; one Message per photo. */
  private sendMediaGroup(p: Params): Message[] {
    const state = this.targetChat(p.chatId());
    const media = p.json("media");
    if (!Array.isArray(media)) throw bad("can't parse media JSON object");
    if (media.length < 2 || media.length > 10) throw bad("wrong number of media specified: must be 2-10");
    const items = media.map((m: unknown) => {
      const item = m as { type?: unknown; media?: unknown; caption?: unknown; caption_entities?: unknown };
      if (typeof item !== "object" || item === null || item.type !== "photo") throw bad("can't parse InputMedia: media type is not photo");
      const ref = typeof item.media === "string" && item.media.startsWith("attach://") ? p.upload(item.media.slice("attach://".length)) : item.media;
      const photo = this.photoUpload(ref as UploadedFile | string | undefined, "media");
      const caption = typeof item.caption === "string" ? item.caption : "";
      const fmt = parseFormatted(caption, undefined, Array.isArray(item.caption_entities) ? (item.caption_entities as MessageEntity[]) : undefined, (id) => this.users.get(id));
      if (codePoints(fmt.text) > 1024) throw bad("message caption is too long");
      return { photo, fmt };
    });
    const reply = this.replyTarget(state, p);
    this.rateCheck(state);
    const mediaGroupId = String(13_000_000_000_000_000 + ++this.counter);
    return items.map(({ photo, fmt }, i) => {
      const { msg, file } = this.photoMessage(
        state,
        photo,
        { media_group_id: mediaGroupId, ...(fmt.text ? { caption: fmt.text } : {}), ...(fmt.entities.length ? { caption_entities: fmt.entities } : {}) },
        i === 0 ? reply : undefined,
        undefined,
      );
      this.record({
        method: "sendMediaGroup",
        chatId: state.chat.id,
        messageId: msg.message_id,
        ...(fmt.text ? { caption: fmt.text } : {}),
        ...(fmt.entities.length ? { entities: fmt.entities } : {}),
        ...(i === 0 && reply ? { replyTo: reply.message_id } : {}),
        photo: { filename: file.filename, bytes: file.bytes, fileId: file.fileId, width: photo.width, height: photo.height },
        mediaGroupId,
        params: p.raw,
      });
      return msg;
    });
  }

  private editable(p: Params): { state: ChatState; old: Message } {
    if (p.str("inline_message_id") !== undefined) throw bad("MESSAGE_ID_INVALID");
    const state = this.targetChat(p.chatId());
    const id = p.int("message_id");
    if (id === undefined) throw bad("message_id is empty");
    const old = state.messages.get(id);
    if (!old) throw bad("message to edit not found");
    if (old.from?.id !== this.bot.id) throw bad("message can't be edited");
    return { state, old };
  }

  private editMessageText(p: Params): Message {
    const { state, old } = this.editable(p);
    if (old.text === undefined) throw bad("there is no text in the message to edit");
    const fmt = this.formatted(p, "text", "entities");
    this.checkText(fmt.text);
    const markup = validateReplyMarkup(p.json("reply_markup"));
    const newInline = isInline(markup) ? markup : undefined; // omitting reply_markup removes the keyboard
    if (
      old.text === fmt.text &&
      JSON.stringify(old.entities ?? []) === JSON.stringify(fmt.entities) &&
      JSON.stringify(old.reply_markup) === JSON.stringify(newInline)
    ) {
      throw bad("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
    }
    this.rateCheck(state);
    const msg: Message = {
      ...old,
      text: fmt.text,
      entities: fmt.entities.length ? fmt.entities : undefined,
      reply_markup: newInline,
      edit_date: this.nowSec(),
    };
    state.messages.set(msg.message_id, msg);
    this.rateHit(state);
    const parseMode = p.str("parse_mode");
    this.record({
      method: "editMessageText",
      chatId: state.chat.id,
      messageId: msg.message_id,
      text: fmt.text,
      rawText: fmt.raw,
      ...(fmt.entities.length ? { entities: fmt.entities } : {}),
      ...(parseMode ? { parseMode } : {}),
      ...(markup ? { replyMarkup: markup } : {}),
      params: p.raw,
    });
    return msg;
  }

  private editMessageReplyMarkup(p: Params): Message {
    const { state, old } = this.editable(p);
    const markup = validateReplyMarkup(p.json("reply_markup"));
    if (markup !== undefined && !isInline(markup)) throw bad("inline keyboard expected");
    if (JSON.stringify(old.reply_markup) === JSON.stringify(markup)) {
      throw bad("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
    }
    this.rateCheck(state);
    const msg: Message = { ...old, reply_markup: markup, edit_date: this.nowSec() };
    state.messages.set(msg.message_id, msg);
    this.rateHit(state);
    this.record({
      method: "editMessageReplyMarkup",
      chatId: state.chat.id,
      messageId: msg.message_id,
      ...(markup ? { replyMarkup: markup } : {}),
      params: p.raw,
    });
    return msg;
  }

  private deleteMessage(p: Params): true {
    const state = this.targetChat(p.chatId());
    const id = p.int("message_id");
    if (id === undefined) throw bad("message_id is empty");
    const msg = state.messages.get(id);
    if (!msg) throw bad("message to delete not found");
    if (msg.from?.id !== this.bot.id && state.chat.type !== "private" && !state.botIsAdmin) throw bad("message can't be deleted");
    state.messages.delete(id);
    this.record({ method: "deleteMessage", chatId: state.chat.id, messageId: id, params: p.raw });
    return true;
  }

  private answerCallbackQuery(p: Params): true {
    const id = p.str("callback_query_id") ?? "";
    const q = this.callbackQueries.get(id);
    if (!q || q.answered) throw bad("query is too old and response timeout expired or query ID is invalid");
    const text = p.str("text");
    if (text !== undefined && codePoints(text) > 200) throw bad("MESSAGE_TOO_LONG");
    q.answered = true;
    const showAlert = p.bool("show_alert");
    this.record({
      method: "answerCallbackQuery",
      chatId: q.chatId,
      messageId: q.messageId,
      callbackQueryId: id,
      ...(text !== undefined ? { text } : {}),
      ...(showAlert !== undefined ? { showAlert } : {}),
      params: p.raw,
    });
    return true;
  }

  private getChat(p: Params): Record<string, unknown> {
    const state = this.targetChat(p.chatId());
    return { ...state.chat, accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false, gifts_from_channels: false } };
  }

  private setMyCommands(p: Params): true {
    const commands = p.json("commands");
    if (!Array.isArray(commands)) throw bad("field \"commands\" must be an Array");
    if (commands.length > 100) throw bad("too many commands");
    for (const c of commands as unknown[]) {
      const cmd = c as Partial<BotCommand> | null;
      if (typeof cmd?.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(cmd.command)) throw bad("BOT_COMMAND_INVALID");
      if (typeof cmd.description !== "string" || cmd.description.length < 1 || cmd.description.length > 256) {
        throw bad("BOT_COMMAND_DESCRIPTION_INVALID");
      }
    }
    this.myCommands.set(`${JSON.stringify(scopeOf(p))}|${p.str("language_code") ?? ""}`, commands as BotCommand[]);
    return true;
  }
}

function scopeOf(p: Params): object {
  const s = p.json("scope");
  return typeof s === "object" && s !== null ? s : { type: "default" };
}

/** The bot_command entity of a leading /command or /command@bot. */
function commandEntity(text: string): MessageEntity[] {
  const m = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])/.exec(text);
  return m ? [{ type: "bot_command", offset: 0, length: m[0].length }] : [];
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, "Request Entity Too Large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Starts a fake Bot API server on 127.0.0.1 (random port unless `port` is given). */
export function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  return FakeTelegram.start(options);
}
