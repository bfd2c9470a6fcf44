// Wires the Zalo Bot API to the core: every update becomes a neutral event for the EventHandler; replies leave
// through the outbox and ZaloTransport. A webhook when ZALO_WEBHOOK_URL is set (production), else getUpdates
// long polling (development).
//
// Webhook durability: EventHandler.handle commits the update (dedupe key, answers, replies in the outbox) in one
// synchronous SQLite transaction that takes milliseconds, and only then is 200 answered. An acknowledged update
// is therefore already durable, and a storage failure answers 500 so that Zalo delivers it again; an inbox table
// would add a second write and a worker without making anything safer. Redeliveries are dropped by the
// processed_updates key `event_name:message_id`.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EventHandler } from "../../app/event-handler.js";
import type { HttpServer } from "../../app/http-server.js";
import type { Logger } from "../../app/logger.js";
import type { RenderedFile } from "../../app/documents.js";
import type { Messages } from "../../core/messages.js";
import type { DB } from "../../store/db.js";
import { ZaloApi, ZaloApiError } from "./api.js";
import { parseUpdate, toEvent } from "./to-event.js";
import { ZaloTransport } from "./transport.js";

export interface ZaloConfig {
  token: string;
  apiRoot?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  /** The name people @mention the bot by, when getMe does not report it. */
  botName?: string;
  /** Link to a private chat with the bot; default https://zalo.me/<bot id>. */
  botLink?: string;
  groupPerMinute: number;
  groupMinGapMs: number;
  /** getUpdates long-poll timeout (seconds). */
  pollTimeoutSec?: number;
}

export interface ZaloDeps {
  handler: EventHandler;
  log: Logger;
  http: HttpServer;
  db: DB;
  messages: Messages;
  publishFile: (file: RenderedFile) => { url: string; expiresAt: Date };
}

export interface ZaloRuntime {
  transport: ZaloTransport;
  mode: "polling" | "webhook";
  stop(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startZalo(cfg: ZaloConfig, deps: ZaloDeps): Promise<ZaloRuntime> {
  const { handler, log, http, db } = deps;
  if (cfg.webhookUrl && (cfg.webhookSecret ?? "").length < 8) {
    throw new Error("ZALO_WEBHOOK_URL cần đi kèm ZALO_WEBHOOK_SECRET (8–256 ký tự).");
  }
  const api = new ZaloApi(cfg.token, { apiRoot: cfg.apiRoot });
  const me = await api.getMe().catch((err: unknown) => {
    throw new Error(`Không kết nối được Zalo Bot API (getMe): ${(err as Error).message}`);
  });
  const botNames = [cfg.botName, me.display_name, me.name, me.account_name].filter((n): n is string => !!n?.trim());
  const botName = botNames[0] ?? me.id;
  const botLink = cfg.botLink ?? `https://zalo.me/${me.id}`;
  log.info({ id: me.id, name: botName }, "zalo bot ready");

  const lastQuestion = db.prepare<[string, string], { message_id: string }>(
    `SELECT message_id FROM bot_messages WHERE platform = 'zalo' AND chat_id = ? AND owner_user_id = ? AND purpose = 'question'
      ORDER BY created_at DESC LIMIT 1`,
  );
  const personName = db.prepare<[string], { display_name: string }>("SELECT display_name FROM people WHERE platform = 'zalo' AND user_id = ?");

  const transport = new ZaloTransport(api, {
    messages: deps.messages,
    botName: () => botName,
    botLink: () => botLink,
    nameOf: (userId) => personName.get(userId)?.display_name,
    publishFile: deps.publishFile,
    groupPerMinute: cfg.groupPerMinute,
    groupMinGapMs: cfg.groupMinGapMs,
    privateMinGapMs: 50,
  });

  let warnedGuess = false;
  /** One update, from either path. Throws only when storage failed (the caller decides about redelivery). */
  const processUpdate = (raw: unknown): "handled" | "duplicate" | "ignored" => {
    const parsed = parseUpdate(raw);
    if (!parsed.ok) {
      log.warn({ error: parsed.error }, "zalo update ignored: malformed");
      return "ignored";
    }
    const converted = toEvent(parsed.update, {
      botNames,
      lastQuestion: (chatId, userId) => lastQuestion.get(chatId, userId)?.message_id,
    });
    if (converted.kind === "ignored") {
      log.info({ event: parsed.update.event_name, reason: converted.reason }, "zalo update ignored");
      return "ignored";
    }
    const ev = converted.event;
    if (converted.guessedMention && !warnedGuess) {
      warnedGuess = true;
      log.warn({ known: botNames }, "zalo: a group mention did not match the bot's name; set ZALO_BOT_NAME to the name shown in Zalo");
    }
    if (ev.chat.type === "private") transport.notePrivateChat(ev.chat.id);
    try {
      return handler.handle(ev).duplicate ? "duplicate" : "handled";
    } catch (err) {
      if ((err as Error).name === "SqliteError") throw err;
      // A bug in a decision must not stop the bot, nor make Zalo deliver the same update forever.
      log.error({ err, update: ev.updateKey }, "zalo update could not be handled");
      return "ignored";
    }
  };

  if (cfg.webhookUrl) {
    const secret = cfg.webhookSecret ?? "";
    http.route(new URL(cfg.webhookUrl).pathname, async (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== "POST") {
        res.writeHead(405, { allow: "POST" }).end();
        return;
      }
      if (!sameSecret(req.headers["x-bot-api-secret-token"], secret)) {
        log.warn("zalo webhook: request without the right secret refused");
        req.resume();
        res.writeHead(401).end();
        return;
      }
      const body = await readBody(req);
      if (!body) {
        res.writeHead(413).end();
        return;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(body.toString("utf8"));
      } catch {
        log.warn("zalo webhook: body is not JSON");
        res.writeHead(400).end();
        return;
      }
      try {
        processUpdate(raw);
      } catch (err) {
        log.error({ err }, "zalo webhook: storage failed, asking for redelivery");
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    await api.setWebhook(cfg.webhookUrl, secret);
    const info = await api.getWebhookInfo().catch(() => undefined);
    if (info?.url && info.url !== cfg.webhookUrl) log.warn({ registered: info.url }, "zalo webhook registered under another URL");
    log.info("zalo webhook set");
    return { transport, mode: "webhook", stop: async () => {} };
  }

  // Development: getUpdates long polling (it does not work while a webhook is set).
  await api.deleteWebhook();
  const abort = new AbortController();
  let stopped = false;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      abort.signal.addEventListener("abort", () => {
        clearTimeout(t);
        resolve();
      });
    });
  const loop = (async () => {
    let backoff = 1000;
    while (!stopped) {
      let updates: unknown[];
      try {
        updates = await api.getUpdates({ timeoutSec: cfg.pollTimeoutSec ?? 30, signal: abort.signal });
        backoff = 1000;
      } catch (err) {
        if (stopped) break;
        if (err instanceof ZaloApiError && (err.errorCode === 401 || err.errorCode === 403)) {
          log.fatal({ err }, "zalo polling stopped: the token was refused");
          process.exitCode = 1;
          process.kill(process.pid, "SIGTERM");
          break;
        }
        log.warn({ err, backoff }, "zalo getUpdates failed, retrying");
        await pause(backoff);
        backoff = Math.min(backoff * 2, 30_000);
        continue;
      }
      for (const raw of updates) {
        try {
          processUpdate(raw);
        } catch (err) {
          // getUpdates has no offset to leave unconfirmed: the update cannot be fetched again.
          log.error({ err }, "zalo update lost: storage failed");
        }
      }
    }
  })();
  return {
    transport,
    mode: "polling",
    stop: async () => {
      stopped = true;
      abort.abort();
      await loop;
    },
  };
}
