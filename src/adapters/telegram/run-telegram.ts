// Wires the Telegram Bot API to the core: every update becomes a neutral event for the intake (which stores it,
// or parks it after repeated failures, before it is confirmed); replies leave through the outbox and
// TelegramTransport. Long polling by default; a webhook when TELEGRAM_WEBHOOK_URL is set.
import { Api } from "grammy";
import type { Update } from "grammy/types";
import type { HttpServer } from "../../app/http-server.js";
import type { Logger } from "../../app/logger.js";
import { IntakeStopped, type UpdateIntake } from "../../app/update-intake.js";
import { webhookRoute } from "../../app/webhook.js";
import { pollUpdates } from "./polling.js";
import type { Messages } from "../../core/messages.js";
import { toEvent } from "./to-event.js";
import { TelegramTransport } from "./transport.js";

/** "baocao - Nhập báo cáo" lines → Telegram's command menu. */
export function commandMenu(text: string): Array<{ command: string; description: string }> {
  return text
    .split("\n")
    .map((line) => /^\s*\/?([a-z0-9_]+)\s+-\s+(.+)$/.exec(line))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ command: m[1]!, description: m[2]!.trim().slice(0, 256) }));
}

export interface TelegramConfig {
  token: string;
  apiRoot?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  /** The command menu shown when someone types "/" (from prompts/messages.yaml). */
  menu?: string;
  groupPerMinute: number;
  groupMinGapMs: number;
  /** Messages a second across all chats (Telegram allows about 30). */
  globalPerSecond: number;
  /** getUpdates long-poll timeout (seconds). */
  pollTimeoutSec?: number;
  /** The chat wording (how questions are answered). */
  messages: Messages;
}

/** my_chat_member tells the bot when it is removed from a group, blocked, or added back. */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

export interface TelegramRuntime {
  transport: TelegramTransport;
  mode: "polling" | "webhook";
  stop(): Promise<void>;
}

export async function startTelegram(cfg: TelegramConfig, intake: UpdateIntake, log: Logger, http: HttpServer): Promise<TelegramRuntime> {
  const api = new Api(cfg.token, cfg.apiRoot ? { apiRoot: cfg.apiRoot } : undefined);
  const me = await api.getMe();
  log.info({ username: me.username, privacy: !me.can_read_all_group_messages }, "telegram bot ready");

  if (cfg.menu) {
    // A cosmetic nicety: failing to set the menu must not stop the bot.
    await api.setMyCommands(commandMenu(cfg.menu)).catch((err: unknown) => log.warn({ err }, "could not set the command menu"));
  }

  const incoming = (update: Update) => ({ platform: "telegram" as const, key: String(update.update_id), raw: update, event: toEvent(update, me.id) });

  const transport = new TelegramTransport(api, {
    groupPerMinute: cfg.groupPerMinute,
    groupMinGapMs: cfg.groupMinGapMs,
    privateMinGapMs: 50,
    globalPerSecond: cfg.globalPerSecond,
    botUsername: () => me.username,
    messages: cfg.messages,
    onPictureRefused: (detail) => log.warn({ detail }, "telegram refused the chart's photo, the message went without it"),
  });

  if (cfg.webhookUrl) {
    http.route(
      new URL(cfg.webhookUrl).pathname,
      webhookRoute({
        secretHeader: "x-telegram-bot-api-secret-token",
        secret: cfg.webhookSecret ?? "",
        log,
        // Anything without an update_id is not an update: nothing to store, nothing to redeliver.
        accept: (body) => (typeof body.update_id === "number" ? intake.deliverTogether(incoming(body as unknown as Update)) : true),
      }),
    );
    await api.setWebhook(cfg.webhookUrl, { secret_token: cfg.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
    log.info("telegram webhook set");
    return { transport, mode: "webhook", stop: async () => {} };
  }

  await api.deleteWebhook();
  const abort = new AbortController();
  const polling = pollUpdates(
    api,
    { allowedUpdates: ALLOWED_UPDATES, signal: abort.signal, timeoutSec: cfg.pollTimeoutSec },
    async (updates) => {
      await intake.processBatch(updates.map(incoming));
    },
    log,
  ).catch((err: unknown) => {
    // Stopping: the update being stored stays unconfirmed, and Telegram delivers it again after the restart.
    if (abort.signal.aborted || err instanceof IntakeStopped) return;
    log.fatal({ err }, "telegram polling stopped");
    process.exitCode = 1;
    process.kill(process.pid, "SIGTERM");
  });
  return {
    transport,
    mode: "polling",
    stop: async () => {
      abort.abort();
      await polling;
    },
  };
}
