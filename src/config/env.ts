// Settings come from the environment only (secrets included); defaults let a newcomer run with nothing set.
import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

const optionalNumber = (schema: z.ZodNumber) =>
  optional.transform((v) => (v === undefined ? undefined : Number(v))).pipe(schema.optional());

const envSchema = z.object({
  TELEGRAM_BOT_TOKEN: optional,
  TELEGRAM_API_ROOT: optional,
  TELEGRAM_WEBHOOK_URL: optional.pipe(z.url().optional()),
  TELEGRAM_WEBHOOK_SECRET: optional.pipe(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, "chỉ gồm A-Z a-z 0-9 _ -").optional()),
  DATABASE_PATH: optional,
  PROMPTS_DIR: optional,
  PORT: optionalNumber(z.number().int().min(0).max(65535)),
  HOST: optional,
  /** Messages a minute the bot sends to one group (Telegram allows about 20). */
  OUTBOX_GROUP_PER_MINUTE: optionalNumber(z.number().positive()),
  OUTBOX_GROUP_MIN_GAP_MS: optionalNumber(z.number().min(0)),
  /** Telegram messages a second across all chats (Telegram allows about 30; default 25). */
  TELEGRAM_GLOBAL_PER_SECOND: optionalNumber(z.number().positive()),
  /** Zalo messages a second across all chats (no published limit; default 5). */
  ZALO_GLOBAL_PER_SECOND: optionalNumber(z.number().positive()),
  /** For tests and demos: the clock starts at this instant and runs on from there. */
  /** How often the reminder schedule is checked (tests shorten it). */
  REMINDER_INTERVAL_MS: optionalNumber(z.number().int().min(50)),
  BOT_CLOCK_START: optional.pipe(z.iso.datetime({ offset: true }).optional()),
  LOG_LEVEL: optional,
  /** Zalo Bot API (Zalo Bot Creator). Runs side by side with Telegram when both tokens are set. */
  ZALO_BOT_TOKEN: optional,
  ZALO_API_ROOT: optional.pipe(z.url().optional()),
  ZALO_WEBHOOK_URL: optional.pipe(z.url().optional()),
  ZALO_WEBHOOK_SECRET: optional.pipe(z.string().regex(/^[\x21-\x7e]{8,256}$/, "8–256 ký tự, không dấu cách").optional()),
  /** The name people @mention the bot by in a Zalo group, when getMe does not report it. */
  ZALO_BOT_NAME: optional,
  /** Link to a private chat with the bot (default https://zalo.me/<bot id>). */
  ZALO_BOT_LINK: optional.pipe(z.url().optional()),
  /** Base of the draft download links (default http://127.0.0.1:<PORT>). */
  PUBLIC_BASE_URL: optional.pipe(z.url().optional()),
  /** How long a draft download link works. */
  FILE_LINK_HOURS: optionalNumber(z.number().positive()),
  /** How long a personal web-view link (/web) works. */
  WEB_LINK_HOURS: optionalNumber(z.number().positive()),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Biến môi trường không hợp lệ:\n${lines.join("\n")}`);
  }
  if (result.data.TELEGRAM_WEBHOOK_URL && !result.data.TELEGRAM_WEBHOOK_SECRET) {
    throw new EnvError("TELEGRAM_WEBHOOK_URL cần đi kèm TELEGRAM_WEBHOOK_SECRET.");
  }
  if (result.data.ZALO_WEBHOOK_URL && !result.data.ZALO_WEBHOOK_SECRET) {
    throw new EnvError("ZALO_WEBHOOK_URL cần đi kèm ZALO_WEBHOOK_SECRET.");
  }
  const tgPath = result.data.TELEGRAM_WEBHOOK_URL && new URL(result.data.TELEGRAM_WEBHOOK_URL).pathname;
  if (tgPath && result.data.ZALO_WEBHOOK_URL && new URL(result.data.ZALO_WEBHOOK_URL).pathname === tgPath) {
    throw new EnvError("TELEGRAM_WEBHOOK_URL và ZALO_WEBHOOK_URL cần hai đường dẫn khác nhau.");
  }
  return result.data;
}
