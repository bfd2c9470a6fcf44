// Wires the Zalo Bot API to the core: every update becomes a neutral event for the intake (stored, or parked
// after repeated failures, before it is confirmed); replies leave through the outbox and ZaloTransport. A webhook
// when ZALO_WEBHOOK_URL is set (production), else getUpdates long polling (development).
//
// Webhook durability: the intake commits the update (dedupe key, answers, replies in the outbox) in one
// synchronous SQLite transaction that takes milliseconds (shared with the deliveries that arrived in the same turn of
// the event loop, each in its own savepoint), and only then is 200 answered. An acknowledged update
// is therefore already durable, and a storage failure answers 500 so that Zalo delivers it again (after several
// failed deliveries of one update it is parked and acknowledged). Redeliveries are dropped by the
// processed_updates key `event_name:message_id`.
//
// Polling has no offsets: an update fetched is gone from Zalo. So the loop fetches the next one only after the
// current one is stored or parked; a crash in between loses it, which is why polling is for development.
import type { HttpServer } from "../../app/http-server.js";
import type { Logger } from "../../app/logger.js";
import type { RenderedFile } from "../../app/documents.js";
import { IntakeStopped, type UpdateIntake } from "../../app/update-intake.js";
import { webhookRoute } from "../../app/webhook.js";
import type { Messages } from "../../core/messages.js";
import type { ChatLookups } from "../../store/chat-lookups.js";
import { ZaloApi, ZaloApiError } from "./api.js";
import { parseUpdate, toEvent } from "./to-event.js";
import { ZaloTransport } from "./transport.js";

export interface ZaloConfig {
  token: string;
  apiRoot?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  /** The name people @mention the bot by; default getMe's account_name. */
  botName?: string;
  /** Link to a private chat with the bot; default https://zalo.me/<bot id>. */
  botLink?: string;
  groupPerMinute: number;
  groupMinGapMs: number;
  /** Messages a second across all chats (Zalo publishes no limits: keep it low). */
  globalPerSecond: number;
  /** getUpdates long-poll timeout (seconds). */
  pollTimeoutSec?: number;
}

export interface ZaloDeps {
  intake: UpdateIntake;
  log: Logger;
  http: HttpServer;
  /** Who was asked what last, and people's chat names (Zalo has no reply threading). */
  lookups: ChatLookups;
  messages: Messages;
  publishFile: (file: RenderedFile) => { url: string; expiresAt: Date };
}

export interface ZaloRuntime {
  transport: ZaloTransport;
  mode: "polling" | "webhook";
  stop(): Promise<void>;
}

export async function startZalo(cfg: ZaloConfig, deps: ZaloDeps): Promise<ZaloRuntime> {
  const { intake, log, http, lookups } = deps;
  if (cfg.webhookUrl && (cfg.webhookSecret ?? "").length < 8) {
    throw new Error("ZALO_WEBHOOK_URL cần đi kèm ZALO_WEBHOOK_SECRET (8–256 ký tự).");
  }
  const api = new ZaloApi(cfg.token, { apiRoot: cfg.apiRoot });
  const me = await api.getMe().catch((err: unknown) => {
    throw new Error(`Không kết nối được Zalo Bot API (getMe): ${(err as Error).message}`);
  });
  // getMe reports the bot's name as account_name ("Bot Báo Cáo Xã"), which is what people @mention.
  const botNames = [cfg.botName, me.account_name, me.display_name, me.name].filter((n): n is string => !!n?.trim());
  const botName = botNames[0] ?? me.id;
  const botLink = cfg.botLink ?? `https://zalo.me/${me.id}`;
  log.info({ id: me.id, name: botName }, "zalo bot ready");

  const transport = new ZaloTransport(api, {
    messages: deps.messages,
    botName: () => botName,
    botLink: () => botLink,
    nameOf: (userId) => lookups.displayName(userId),
    publishFile: deps.publishFile,
    onPictureRefused: (detail) => log.warn({ detail }, "zalo refused the chart's photo, the message went without it"),
    groupPerMinute: cfg.groupPerMinute,
    groupMinGapMs: cfg.groupMinGapMs,
    privateMinGapMs: 50,
    globalPerSecond: cfg.globalPerSecond,
  });

  let warnedGuess = false;
  /** One raw update (from either path) as the intake takes it; undefined event when it is not for the core. */
  const incoming = (raw: unknown) => {
    const parsed = parseUpdate(raw);
    if (!parsed.ok) {
      log.warn({ error: parsed.error }, "zalo update ignored: malformed");
      return { platform: "zalo" as const, key: "malformed", raw, event: undefined };
    }
    const key = `${parsed.update.event_name}:${parsed.update.message?.message_id ?? ""}`;
    const converted = toEvent(parsed.update, {
      botNames,
      lastQuestion: (chatId, userId) => lookups.lastQuestion(chatId, userId),
    });
    if (converted.kind === "ignored") {
      log.info({ event: parsed.update.event_name, reason: converted.reason }, "zalo update ignored");
      return { platform: "zalo" as const, key, raw, event: undefined };
    }
    const ev = converted.event;
    if (converted.guessedMention && !warnedGuess) {
      warnedGuess = true;
      log.warn({ known: botNames }, "zalo: a group mention did not match the bot's name; set ZALO_BOT_NAME to the name shown in Zalo");
    }
    if (ev.chat.type === "private") transport.notePrivateChat(ev.chat.id);
    return { platform: "zalo" as const, key: ev.updateKey, raw, event: ev };
  };

  if (cfg.webhookUrl) {
    http.route(
      new URL(cfg.webhookUrl).pathname,
      webhookRoute({
        secretHeader: "x-bot-api-secret-token",
        secret: cfg.webhookSecret ?? "",
        log,
        // Bodies come wrapped like a getUpdates answer (`{ok, result}`), as documented, or bare.
        accept: (body) => intake.deliverTogether(incoming(body)),
        okBody: '{"ok":true}',
      }),
    );
    await api.setWebhook(cfg.webhookUrl, cfg.webhookSecret ?? "");
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
        if (err instanceof ZaloApiError && err.errorCode === 401) {
          log.fatal({ err }, "zalo polling stopped: the token was refused");
          process.exitCode = 1;
          process.kill(process.pid, "SIGTERM");
          break;
        }
        // The docs list 403 among server errors: it is waited out like any other, never taken as final.
        log.warn({ err, backoff }, "zalo getUpdates failed, retrying");
        await pause(backoff);
        backoff = Math.min(backoff * 2, 30_000);
        continue;
      }
      const batch = updates.map(incoming);
      try {
        await intake.processBatch(batch);
      } catch (err) {
        if (!(err instanceof IntakeStopped)) throw err;
        log.error({ updates: batch.map((u) => u.key) }, "zalo updates not stored before stopping: they cannot be fetched again");
        return;
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
