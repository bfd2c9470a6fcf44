// The two bots a benchmark runs against the local Bot API stand-in, in this process:
//  - the real pipeline (grammY long polling → EventHandler → SQLite outbox → OutboxDrainer → TelegramTransport),
//    assembled exactly as src/main.ts does, with the handler instrumented to time each update;
//  - the floors: a bare grammY bot that echoes each text message back as a reply and awaits the send, and the
//    same bot committing each update to SQLite first.
import { Bot } from "grammy";
import type { Clock } from "../../src/core/clock.js";
import type { InboundEvent } from "../../src/core/events.js";
import { createCore, type Core } from "../../src/app/create-core.js";
import { HttpServer } from "../../src/app/http-server.js";
import { silentLogger } from "../../src/app/logger.js";
import type { DrainerOptions, OutboxDrainer } from "../../src/app/outbox.js";
import { startTelegram, type TelegramRuntime } from "../../src/adapters/telegram/run-telegram.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { openDatabase, type DB } from "../../src/store/db.js";
import type { FakeTelegram } from "../../test/support/fake-telegram.js";

/** Called after an update was handled: its key, when handling began and when its transaction committed. */
export type HandledListener = (updateKey: string, startedAt: number, committedAt: number) => void;

export interface RealBot {
  core: Core;
  runtime: TelegramRuntime;
  drainer: OutboxDrainer;
  /** Updates handled so far (committed, replies in the outbox). */
  handled(): number;
  /** Transactions that committed updates so far (a getUpdates answer's updates are committed together). */
  commits(): number;
  onHandled(listener: HandledListener): () => void;
  /** Stops polling and the drainer, closes the database; a second call does nothing. */
  stop(): Promise<void>;
}

export interface RealBotOptions {
  databasePath: string;
  clock: Clock;
  /** Writes units, groups and reporters before the bot starts. */
  seed?: (db: DB) => void;
  groupPerMinute?: number;
  groupMinGapMs?: number;
  /** Telegram messages a second across all chats (unlimited by default). */
  globalPerSecond?: number;
  drainer?: DrainerOptions;
}

export async function startRealBot(tg: FakeTelegram, opts: RealBotOptions): Promise<RealBot> {
  const core = createCore({ databasePath: opts.databasePath, promptsDir: DEFAULT_PROMPTS, clock: opts.clock, log: silentLogger });
  opts.seed?.(core.db);

  // Instrument the handler in place: the intake calls `handler.handle(ev)` on this very object. An update
  // handled inside a batch (`inBatch`: a getUpdates answer, a webhook burst) is only a savepoint until the
  // batch commits, so its commit time is taken when the outermost batch returns, after the COMMIT and its fsync.
  const listeners = new Set<HandledListener>();
  let handled = 0;
  let commits = 0;
  let depth = 0;
  let inFlight: Array<{ key: string; startedAt: number }> = [];
  const done = (key: string, startedAt: number, committedAt: number) => {
    handled++;
    for (const l of listeners) l(key, startedAt, committedAt);
  };
  const originalHandle = core.handler.handle.bind(core.handler);
  core.handler.handle = (ev: InboundEvent) => {
    const startedAt = performance.now();
    const result = originalHandle(ev);
    if (depth > 0) inFlight.push({ key: ev.updateKey, startedAt });
    else {
      commits++;
      done(ev.updateKey, startedAt, performance.now());
    }
    return result;
  };
  const originalBatch = core.handler.inBatch.bind(core.handler);
  core.handler.inBatch = <T>(fn: () => T): T => {
    depth++;
    let result: T;
    try {
      result = originalBatch(fn);
    } catch (err) {
      // Rolled back: nothing of the batch was committed.
      if (--depth === 0) inFlight = [];
      throw err;
    }
    if (--depth === 0) {
      const committedAt = performance.now();
      const batch = inFlight;
      inFlight = [];
      if (batch.length > 0) commits++;
      for (const u of batch) done(u.key, u.startedAt, committedAt);
    }
    return result;
  };

  const runtime = await startTelegram(
    {
      token: tg.token,
      apiRoot: tg.apiRoot,
      groupPerMinute: opts.groupPerMinute ?? 1_000_000,
      groupMinGapMs: opts.groupMinGapMs ?? 0,
      globalPerSecond: opts.globalPerSecond ?? 1_000_000,
      messages: core.prompts.messages,
    },
    core.intake,
    silentLogger,
    new HttpServer(),
  );
  const drainer = core.startOutbox([runtime.transport], opts.drainer);
  let stopped = false;
  return {
    core,
    runtime,
    drainer,
    handled: () => handled,
    commits: () => commits,
    onHandled(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await runtime.stop();
      await drainer.stop();
      core.close();
    },
  };
}

export interface EchoBot {
  /** Called when the echo middleware runs (the update has reached the bot's code), and when its commit is done
   * (the echo+commit floor; for the bare echo, the same moment). */
  onMessage(listener: (updateId: number, enteredAt: number, committedAt: number) => void): () => void;
  handled(): number;
  /** Sends answered with an error (429 under the stand-in's limits). */
  failedSends(): number;
  stop(): Promise<void>;
}

export interface EchoOptions {
  /** The echo+commit floor: one row inserted and committed per update, on a database opened like the bot's. */
  commitTo?: string;
  /**
   * With `commitTo`, store instead what the bot's own rules require of any answer, in one transaction: the
   * update's dedupe mark, the answer's two figures and the reply queued in the outbox (with its queue index),
   * in the bot's own tables (openDatabase migrates them). No decision, no session, no totals.
   */
  rulesRows?: boolean;
}

/** Stores one update as `opts` says; returns nothing to await (a synchronous transaction). */
function echoStore(db: DB, opts: EchoOptions): (updateId: number, chatId: string, text: string) => void {
  if (!opts.rulesRows) {
    db.exec("CREATE TABLE IF NOT EXISTS echo_updates (update_id INTEGER PRIMARY KEY, chat_id TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL)");
    const insert = db.prepare("INSERT OR IGNORE INTO echo_updates (update_id, chat_id, text, at) VALUES (?, ?, ?, ?)");
    return (id, chat, text) => void insert.run(id, chat, text, Date.now());
  }
  // The bot's own tables (openDatabase migrated them): an area for the answers to belong to.
  db.prepare("INSERT OR IGNORE INTO units (code, name, level) VALUES ('echo-area', 'Ấp Echo', 'area')").run();
  const mark = db.prepare("INSERT INTO processed_updates (platform, update_key, processed_at) VALUES ('telegram', ?, ?)");
  const answer = db.prepare(
    "INSERT INTO answers (unit_code, form_id, period_key, field_id, value_json, updated_by, updated_at) VALUES ('echo-area', 'thang', ?, ?, ?, ?, ?)",
  );
  const queue = db.prepare("INSERT INTO outbox (platform, chat_id, payload_json, created_at) VALUES ('telegram', ?, ?, ?)");
  return db.transaction((id: number, chat: string, text: string) => {
    const at = new Date().toISOString();
    mark.run(String(id), at);
    // Each update a report of its own, as a lone first answer is: the two figures of a count answer.
    const period = `echo-${id}`;
    answer.run(period, "so_buoi", "12", `telegram:${chat}`, at);
    answer.run(period, "so_nguoi", "350", `telegram:${chat}`, at);
    queue.run(chat, JSON.stringify({ kind: "text", text: `Ghi nhận: ${text}` }), Date.now());
  });
}

/**
 * The framework floors: a grammY bot that echoes each text message back as a reply and awaits that send
 * before it takes the next update (grammY's own polling runs one update at a time). With `commitTo`, it
 * first stores the update in one SQLite transaction (WAL, synchronous=FULL: the bot's own pragmas) — the
 * least a bot that never loses an acknowledged answer must do.
 */
export async function startEchoBot(tg: FakeTelegram, opts: EchoOptions = {}): Promise<EchoBot> {
  const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
  const listeners = new Set<(updateId: number, enteredAt: number, committedAt: number) => void>();
  let handled = 0;
  let failed = 0;
  const db = opts.commitTo ? openDatabase(opts.commitTo) : undefined;
  const store = db ? echoStore(db, opts) : undefined;
  bot.on("message:text", async (ctx) => {
    const enteredAt = performance.now();
    store?.(ctx.update.update_id, String(ctx.chat.id), ctx.message.text);
    const committedAt = performance.now();
    handled++;
    for (const l of listeners) l(ctx.update.update_id, enteredAt, committedAt);
    await ctx.reply(ctx.message.text.slice(0, 4096), { reply_parameters: { message_id: ctx.message.message_id } }).catch(() => failed++);
  });
  // Sends are counted above; anything else thrown is the bench's own bug, said rather than left to a timeout.
  bot.catch((err) => console.error("bench: the echo bot failed:", err.error));
  await bot.init();
  await bot.api.deleteWebhook();
  const polling = bot.start({ allowed_updates: ["message", "edited_message", "callback_query"] });
  return {
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    handled: () => handled,
    failedSends: () => failed,
    async stop() {
      await bot.stop();
      await polling;
      db?.close();
    },
  };
}

/** True while the bot has a long poll open at the stand-in (an update sent now is answered at once). */
export function pollIsOpen(tg: FakeTelegram): boolean {
  for (let i = tg.calls.length - 1; i >= 0; i--) {
    const c = tg.calls[i]!;
    if (c.method === "getUpdates") return c.status === 0;
  }
  return false;
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}
