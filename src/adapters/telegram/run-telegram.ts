// Wires grammY to the core: every update becomes a neutral event for the EventHandler; replies leave through
// the outbox and TelegramTransport. Long polling by default; a webhook when TELEGRAM_WEBHOOK_URL is set.
import { Bot, webhookCallback } from "grammy";
import type { EventHandler } from "../../app/event-handler.js";
import type { HttpServer } from "../../app/http-server.js";
import type { Logger } from "../../app/logger.js";
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
}

const ALLOWED = ["message", "edited_message", "callback_query"] as const;

export interface TelegramRuntime {
  transport: TelegramTransport;
  mode: "polling" | "webhook";
  stop(): Promise<void>;
}

export async function startTelegram(
  cfg: TelegramConfig,
  handler: EventHandler,
  log: Logger,
  http: HttpServer,
): Promise<TelegramRuntime> {
  const bot = new Bot(cfg.token, { client: cfg.apiRoot ? { apiRoot: cfg.apiRoot } : {} });
  await bot.init();
  const me = bot.botInfo;
  log.info({ username: me.username, privacy: !me.can_read_all_group_messages }, "telegram bot ready");

  if (cfg.menu) {
    // A cosmetic nicety: failing to set the menu must not stop the bot.
    await bot.api.setMyCommands(commandMenu(cfg.menu)).catch((err: unknown) => log.warn({ err }, "could not set the command menu"));
  }

  bot.use((ctx) => {
    const ev = toEvent(ctx.update, me.id);
    if (!ev) return;
    try {
      handler.handle(ev);
    } catch (err) {
      // Storage errors must not confirm the update: let it fail so Telegram delivers it again.
      if ((err as Error).name === "SqliteError") throw err;
      log.error({ err, update: ctx.update.update_id }, "update could not be handled");
    }
  });

  const transport = new TelegramTransport(bot.api, {
    groupPerMinute: cfg.groupPerMinute,
    groupMinGapMs: cfg.groupMinGapMs,
    privateMinGapMs: 50,
    botUsername: () => me.username,
  });

  if (cfg.webhookUrl) {
    http.route(new URL(cfg.webhookUrl).pathname, webhookCallback(bot, "http", { secretToken: cfg.webhookSecret }));
    await bot.api.setWebhook(cfg.webhookUrl, { secret_token: cfg.webhookSecret, allowed_updates: [...ALLOWED] });
    log.info("telegram webhook set");
    return { transport, mode: "webhook", stop: async () => {} };
  }

  await bot.api.deleteWebhook();
  let stopped = false;
  const polling = bot
    .start({ allowed_updates: [...ALLOWED], drop_pending_updates: false })
    .catch((err: unknown) => {
      if (!stopped) {
        log.fatal({ err }, "telegram polling stopped");
        process.exitCode = 1;
        process.kill(process.pid, "SIGTERM");
      }
    });
  return {
    transport,
    mode: "polling",
    stop: async () => {
      stopped = true;
      await bot.stop();
      await polling;
    },
  };
}
