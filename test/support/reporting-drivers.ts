// One way to talk to the real bot process in a commune group, whatever the platform, so that one scenario
// suite runs on Telegram and on Zalo. Each driver owns a local stand-in of the platform's API, a fresh database
// and the bot process (`src/main.ts`), and speaks the way people do on that platform: on Telegram replying to
// the bot's question and pressing buttons; on Zalo @mentioning the bot and typing the option's number, and
// downloading the draft from the link the bot posts.
//
// To extend (e.g. /tonghop, reminders): add a method here with one implementation per platform; scenarios
// then stay platform-free. `say` returns the text of the bot's answer to that person.
import { startFakeTelegram, type FakeTelegram, type SentEntry, type UserInput } from "./fake-telegram.js";
import { startFakeZalo, type FakeZalo, type FakeZaloOptions, type ZaloChatInput, type ZaloUserInput } from "./fake-zalo.js";
import { GroupDriver } from "./telegram-driver.js";
import { freePort, startBotProcess, until, type BotProcess } from "./bot-process.js";
import { CLOCK_START, freshDatabase, type Person } from "./reporting-data.js";

export interface Draft {
  /** The file name the platform shows (ASCII). */
  filename: string;
  bytes: Buffer;
  /** The text that came with the draft (the completion summary). */
  summary: string;
}

/** A chart the bot posted as a photo, as the group received it. */
export interface ChartPhoto {
  png: Buffer;
  /** The photo's caption (the summary, when it fits). */
  caption: string;
  /** Where the platform fetched it from (Zalo: the bot's own expiring link). */
  url?: string;
}

export interface DriverOptions {
  /** The unit tree (CSV) instead of the sample one. */
  units?: string;
  /** Whom the staff code is for; default the staff of commune 25747. */
  staff?: { role: "commune_staff" | "officer"; unit: string };
  /** A prompts directory instead of the shipped one (forms written by a test). */
  prompts?: string;
}

export interface ReportingDriver {
  readonly platform: "telegram" | "zalo";
  /** The commune group's id as the bot stores it. */
  readonly groupChatId: string;
  readonly dbPath: string;
  /** A one-time commune-staff code for this platform's staff member. */
  readonly staffCode: string;
  /** Fake API, fresh database, bot process. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Starts the bot process; its clock starts at `clockStart` (default: the scenarios' start). */
  startBot(clockStart?: string): Promise<void>;
  killBot(signal?: NodeJS.Signals): Promise<number | null>;
  /** A person writes to the bot in the group (a command, or the answer to their question); the bot's answer. */
  say(user: Person, text: string): Promise<string>;
  /** Answers the person's last question by choosing the option whose label contains `label`. */
  choose(user: Person, label: string): Promise<string>;
  /** Sends now (the bot may be down); the promise settles with the bot's answer once it comes. */
  sendNow(user: Person, text: string): { reply: Promise<string> };
  /** A group message not addressed to the bot; true when the platform delivered it to the bot anyway. */
  chatter(user: Person, text: string): boolean;
  /** Position in the bot's sent messages, to look for drafts posted after it. */
  mark(): number;
  /** Waits for a draft of the area posted to the group (after `since`) and returns the latest one. */
  lastDraft(area: string, since?: number): Promise<Draft>;
  draftCount(area?: string): number;
  /** Waits for the chart photos posted to the group after `since` (one message's worth) and returns them. */
  chartPhotos(since: number): Promise<ChartPhoto[]>;
  /** Texts the bot posted in the group after `since`. */
  groupTexts(since?: number): string[];
  /** Every message people sent to the bot got exactly one answer (no repeats, nothing lost). */
  everyTurnAnsweredOnce(): boolean;
  output(): string;
}

const TIMEOUT = 15_000;

function baseEnv(dbPath: string, clockStart = CLOCK_START): Record<string, string> {
  return {
    DATABASE_PATH: dbPath,
    BOT_CLOCK_START: clockStart,
    REMINDER_INTERVAL_MS: "250",
    OUTBOX_GROUP_PER_MINUTE: "10000",
    OUTBOX_GROUP_MIN_GAP_MS: "0",
  };
}

// ───────────────────────────── Telegram ─────────────────────────────

export class TelegramReportingDriver implements ReportingDriver {
  readonly platform = "telegram" as const;
  readonly group = { id: -1001234567890, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
  readonly groupChatId = String(this.group.id);
  tg!: FakeTelegram;
  g!: GroupDriver;
  bot?: BotProcess;
  dbPath = "";
  staffCode = "";
  private readonly last = new Map<number, SentEntry>();

  constructor(readonly opts: DriverOptions = {}) {}

  user(p: Person): UserInput {
    return { id: p.id, first_name: p.name };
  }

  async start(): Promise<void> {
    this.tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    this.g = new GroupDriver(this.tg, this.group, TIMEOUT);
    const db = freshDatabase(1, this.opts.units, this.opts.staff);
    this.dbPath = db.path;
    this.staffCode = db.staffCode;
    await this.startBot();
  }

  async startBot(clockStart?: string): Promise<void> {
    this.bot = startBotProcess({
      ...baseEnv(this.dbPath, clockStart),
      ...(this.opts.prompts ? { PROMPTS_DIR: this.opts.prompts } : {}),
      TELEGRAM_BOT_TOKEN: this.tg.token,
      TELEGRAM_API_ROOT: this.tg.apiRoot,
    });
  }

  groupTexts(since = 0): string[] {
    return this.tg.sent.slice(since).filter((s) => s.chatId === this.group.id && s.method !== "editMessageText" && s.method !== "editMessageReplyMarkup" && s.method !== "deleteMessage" && s.method !== "answerCallbackQuery").map((s) => s.text ?? s.caption ?? "");
  }

  async killBot(signal: NodeJS.Signals = "SIGKILL"): Promise<number | null> {
    return (await this.bot?.kill(signal)) ?? null;
  }

  async stop(): Promise<void> {
    await this.bot?.kill("SIGKILL");
    await this.tg?.close();
  }

  /** What the person sees: the text, then the buttons' labels, one per line. */
  private textOf(s: SentEntry): string {
    const buttons = this.g.buttons(s).map((b) => `[${b.text}]`);
    return [s.text ?? s.caption ?? "", ...buttons].join("\n").trim();
  }

  async say(p: Person, text: string): Promise<string> {
    const reply = await this.g.say(this.user(p), text);
    this.last.set(p.id, reply);
    return this.textOf(reply);
  }

  async choose(p: Person, label: string): Promise<string> {
    const question = this.last.get(p.id);
    const button = question && this.g.buttons(question).find((b) => b.text.includes(label));
    if (!question || !button?.data) throw new Error(`No button “${label}” on the last question to ${p.name}`);
    const reply = await this.g.press(this.user(p), question, button.data);
    this.last.set(p.id, reply);
    return this.textOf(reply);
  }

  sendNow(p: Person, text: string): { reply: Promise<string> } {
    const replyTo = text.startsWith("/") ? undefined : this.last.get(p.id)?.messageId;
    const update = this.tg.userSays({ chat: this.group, from: this.user(p), text, replyTo });
    const reply = this.tg.waitFor((s) => s.replyTo === update.message!.message_id, TIMEOUT).then((s) => {
      this.last.set(p.id, s);
      this.g.remember(this.user(p), s.messageId);
      return this.textOf(s);
    });
    return { reply };
  }

  chatter(p: Person, text: string): boolean {
    const before = this.tg.droppedByPrivacy.length;
    this.tg.userSays({ chat: this.group, from: this.user(p), text });
    return this.tg.droppedByPrivacy.length === before;
  }

  mark(): number {
    return this.tg.sent.length;
  }

  private isDraft(s: SentEntry, area?: string): boolean {
    return s.chatId === this.group.id && s.method === "sendDocument" && (!area || (s.caption ?? "").includes(area));
  }

  async lastDraft(area: string, since = 0): Promise<Draft> {
    await this.g.draftFor(area, since);
    const s = this.tg.sent.slice(since).filter((e) => this.isDraft(e, area)).at(-1)!;
    return { filename: s.document!.filename, bytes: s.document!.bytes, summary: s.caption ?? "" };
  }

  draftCount(area?: string): number {
    return this.tg.sent.filter((s) => this.isDraft(s, area)).length;
  }

  async chartPhotos(since: number): Promise<ChartPhoto[]> {
    const isPhoto = (s: SentEntry) => s.chatId === this.group.id && (s.method === "sendPhoto" || s.method === "sendMediaGroup");
    const first = await this.tg.waitFor(isPhoto, TIMEOUT, { fromIndex: since });
    const album = first.mediaGroupId ? this.tg.sent.filter((s) => s.mediaGroupId === first.mediaGroupId) : [first];
    return album.map((s) => ({ png: s.photo!.bytes, caption: s.caption ?? "" }));
  }

  everyTurnAnsweredOnce(): boolean {
    const targets = this.tg.sent.filter((s) => (s.method === "sendMessage" || s.method === "sendDocument") && s.replyTo).map((s) => s.replyTo);
    return new Set(targets).size === targets.length;
  }

  output(): string {
    return this.bot?.output() ?? "";
  }
}

// ───────────────────────────── Zalo ─────────────────────────────

export interface ZaloDriverOptions extends DriverOptions {
  mode?: "webhook" | "polling";
  fake?: FakeZaloOptions;
  env?: Record<string, string>;
}

/** Zalo ids are opaque hex strings. */
export const zaloId = (n: number) => `8d1e${n.toString(16).padStart(16, "0")}`;

export class ZaloReportingDriver implements ReportingDriver {
  readonly platform = "zalo" as const;
  readonly group: ZaloChatInput = { id: "f3a9c07b21d54e8a9b10", type: "GROUP" };
  readonly groupChatId = this.group.id;
  readonly secret = "zalo-Webhook_s3cret";
  zalo!: FakeZalo;
  bot?: BotProcess;
  port = 0;
  dbPath = "";
  staffCode = "";
  private readonly last = new Map<number, string>();

  constructor(readonly opts: ZaloDriverOptions = {}) {}

  get mode(): "webhook" | "polling" {
    return this.opts.mode ?? "webhook";
  }

  get webhookUrl(): string {
    return `http://127.0.0.1:${this.port}/zalo/webhook`;
  }

  user(p: Person): ZaloUserInput {
    return { id: zaloId(p.id), name: p.name };
  }

  /** How people call the bot in a group. */
  mention(text: string): string {
    return `@${this.zalo.bot.account_name} ${text}`;
  }

  async start(): Promise<void> {
    this.zalo = await startFakeZalo({ maxPollSeconds: 2, ...this.opts.fake });
    this.port = await freePort();
    const db = freshDatabase(1, this.opts.units, this.opts.staff);
    this.dbPath = db.path;
    this.staffCode = db.staffCode;
    await this.startBot();
  }

  env(clockStart?: string): Record<string, string> {
    return {
      ...baseEnv(this.dbPath, clockStart),
      ZALO_BOT_TOKEN: this.zalo.token,
      ZALO_API_ROOT: this.zalo.apiRoot,
      PORT: String(this.port),
      HOST: "127.0.0.1",
      ...(this.mode === "webhook" ? { ZALO_WEBHOOK_URL: this.webhookUrl, ZALO_WEBHOOK_SECRET: this.secret } : {}),
      ...this.opts.env,
    };
  }

  /** Starts the bot process and waits until it is ready: its webhook registered, or its first poll made. */
  async startBot(clockStart?: string): Promise<void> {
    const readyCall = this.mode === "webhook" ? "setWebhook" : "getUpdates";
    const callsBefore = this.zalo.calls.filter((c) => c.method === readyCall).length;
    this.bot = startBotProcess(this.env(clockStart));
    const bot = this.bot;
    const ready = () => this.zalo.calls.filter((c) => c.method === readyCall).length > callsBefore;
    await until(() => (ready() && bot.output().includes("HTTP_PORT=")) || bot.child.exitCode !== null, TIMEOUT, "the bot to be ready");
    if (bot.child.exitCode !== null) throw new Error(`The bot stopped: ${bot.output()}`);
  }

  async killBot(signal: NodeJS.Signals = "SIGKILL"): Promise<number | null> {
    return (await this.bot?.kill(signal)) ?? null;
  }

  async stop(): Promise<void> {
    await this.bot?.kill("SIGKILL");
    await this.zalo?.close();
  }

  /**
   * The bot's answer in a chat after `fromIndex`: its first message, plus the parts that follow at once (text
   * over 2,000 characters arrives as several messages).
   */
  async collect(chatId: string, fromIndex: number): Promise<string> {
    // A summary comes as its chart's photos, the text riding as a caption or following.
    const isForChat = (s: { chatId: string; method: string }) => s.chatId === chatId && (s.method === "sendMessage" || s.method === "sendPhoto");
    const first = await this.zalo.waitFor(isForChat, TIMEOUT, { fromIndex });
    let seen = this.zalo.sent.indexOf(first) + 1;
    const parts = [first.text ?? first.caption ?? ""];
    for (;;) {
      const more = await this.zalo.waitFor(isForChat, 80, { fromIndex: seen }).catch(() => undefined);
      if (!more) break;
      parts.push(more.text ?? more.caption ?? "");
      seen = this.zalo.sent.indexOf(more) + 1;
    }
    return parts.join("\n");
  }

  async say(p: Person, text: string): Promise<string> {
    return this.sendNow(p, text).reply;
  }

  /** In a private chat with the bot (no mention needed). */
  async sayPrivately(p: Person, text: string): Promise<string> {
    const from = this.zalo.sent.length;
    const u = this.user(p);
    this.zalo.userSays({ chat: { id: u.id, type: "PRIVATE" }, from: u, text });
    return this.collect(u.id, from);
  }

  async choose(p: Person, label: string): Promise<string> {
    const question = this.last.get(p.id) ?? "";
    const line = question.split("\n").find((l) => /^\d+\.\s/.test(l) && l.includes(label));
    if (!line) throw new Error(`No option “${label}” in the last question to ${p.name}:\n${question}`);
    return this.say(p, line.split(".")[0]!);
  }

  sendNow(p: Person, text: string): { reply: Promise<string> } {
    const from = this.zalo.sent.length;
    this.zalo.userSays({ chat: this.group, from: this.user(p), text: this.mention(text) });
    const reply = this.collect(this.group.id, from).then((r) => {
      this.last.set(p.id, r);
      return r;
    });
    return { reply };
  }

  chatter(p: Person, text: string): boolean {
    return this.zalo.userSays({ chat: this.group, from: this.user(p), text }).delivered;
  }

  mark(): number {
    return this.zalo.sent.length;
  }

  /** A message with a draft's link: a text, or the caption of a summary's chart. */
  private isDraft(s: { chatId: string; method: string; text?: string; caption?: string }, area?: string): boolean {
    const text = s.text ?? s.caption ?? "";
    return s.chatId === this.group.id && (s.method === "sendMessage" || s.method === "sendPhoto") && /\/files\/\S+\.docx/.test(text) && (!area || text.includes(area));
  }

  /** The link in a draft message. */
  static linkIn(text: string): string {
    const url = /(https?:\/\/\S+\/files\/\S+\.docx)/.exec(text)?.[1];
    if (!url) throw new Error(`No draft link in: ${text}`);
    return url;
  }

  async lastDraft(area: string, since = 0): Promise<Draft> {
    await this.zalo.waitFor((s) => this.isDraft(s, area), TIMEOUT, { fromIndex: since });
    const s = this.zalo.sent.slice(since).filter((e) => this.isDraft(e, area)).at(-1)!;
    const text = s.text ?? s.caption ?? "";
    const res = await fetch(ZaloReportingDriver.linkIn(text));
    if (res.status !== 200) throw new Error(`Draft link answered ${res.status}`);
    const filename = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "";
    return { filename, bytes: Buffer.from(await res.arrayBuffer()), summary: text };
  }

  draftCount(area?: string): number {
    return this.zalo.sent.filter((s) => this.isDraft(s, area)).length;
  }

  /** Consecutive photos: each fetched by the stand-in from the bot's link when it was sent. */
  async chartPhotos(since: number): Promise<ChartPhoto[]> {
    const isPhoto = (s: { chatId: string; method: string }) => s.chatId === this.group.id && s.method === "sendPhoto";
    let photo = await this.zalo.waitFor(isPhoto, TIMEOUT, { fromIndex: since });
    const photos = [photo];
    // The photos of one chart follow each other at once.
    for (;;) {
      const next = this.zalo.sent[this.zalo.sent.indexOf(photo) + 1] ?? (await this.zalo.waitFor((s) => s.chatId === this.group.id, 150, { fromIndex: this.zalo.sent.indexOf(photo) + 1 }).catch(() => undefined));
      if (!next || !isPhoto(next)) break;
      photos.push((photo = next));
    }
    return photos.map((s) => ({ png: s.photoBytes!, caption: s.caption ?? "", url: s.photo }));
  }

  groupTexts(since = 0): string[] {
    return this.zalo.sent.slice(since).filter((s) => s.chatId === this.group.id && (s.method === "sendMessage" || s.method === "sendPhoto")).map((s) => s.text ?? s.caption ?? "");
  }

  everyTurnAnsweredOnce(): boolean {
    const delivered = new Set(this.zalo.updates.filter((u) => u.message.chat.id === this.group.id).map((u) => u.message.message_id));
    return this.zalo.messagesTo(this.group.id).length === delivered.size;
  }

  output(): string {
    return this.bot?.output() ?? "";
  }
}

export const REPORTING_DRIVERS: Array<{ name: string; create: () => ReportingDriver }> = [
  { name: "Telegram", create: () => new TelegramReportingDriver() },
  { name: "Zalo", create: () => new ZaloReportingDriver() },
];

/** The drivers, over another unit tree. */
export function reportingDrivers(opts: DriverOptions): Array<{ name: string; create: () => ReportingDriver }> {
  return [
    { name: "Telegram", create: () => new TelegramReportingDriver(opts) },
    { name: "Zalo", create: () => new ZaloReportingDriver(opts) },
  ];
}
