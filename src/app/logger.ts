// Structured logs (pino, JSON lines). Tokens never reach a log: known secret fields are redacted, the configured
// secrets are masked wherever they appear (messages, error messages, stack traces, causes), and any string that
// looks like a bot URL has its token masked too. Errors keep their stack trace.
import { pino } from "pino";

export type Logger = pino.Logger;

const TOKEN_IN_URL = /bot\d+:[A-Za-z0-9_-]{20,}/g;

/** Replaces every secret (and anything shaped like a bot token in a URL) by "***". */
export function masker(secrets: readonly string[]): (text: string) => string {
  const list = [...new Set(secrets.filter((s) => s && s.length >= 6))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of list) out = out.split(s).join("***");
    return out.replace(TOKEN_IN_URL, "bot***");
  };
}

interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: string;
  cause?: SerializedError;
}

function serializeError(err: unknown, mask: (t: string) => string, depth = 0): SerializedError {
  if (!(err instanceof Error)) return { type: typeof err, message: mask(String(err)) };
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    message: mask(String(err.message)),
    ...(err.stack ? { stack: mask(err.stack) } : {}),
    ...(typeof code === "string" ? { code } : {}),
    ...(err.cause !== undefined && depth < 3 ? { cause: serializeError(err.cause, mask, depth + 1) } : {}),
  };
}

export interface LoggerOptions {
  /** Values to mask wherever they appear (the bot tokens, webhook secrets). */
  secrets?: readonly string[];
}

export function createLogger(level = process.env.LOG_LEVEL ?? "info", destination?: pino.DestinationStream, opts: LoggerOptions = {}): Logger {
  const mask = masker(opts.secrets ?? []);
  return pino(
    {
      level,
      redact: { paths: ["token", "*.token", "secret", "*.secret", "headers.authorization"], censor: "[ẩn]" },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === "string" ? mask(a) : a));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
      serializers: { err: (err: unknown) => serializeError(err, mask) },
    },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: "silent" });
