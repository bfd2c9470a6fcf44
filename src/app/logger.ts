// Structured logs (pino, JSON lines). Tokens never reach a log: known secret fields are redacted and any
// string that looks like a bot URL has its token masked.
import { pino } from "pino";

export type Logger = pino.Logger;

const TOKEN_IN_URL = /bot\d+:[A-Za-z0-9_-]{20,}/g;

export function createLogger(level = process.env.LOG_LEVEL ?? "info", destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: ["token", "*.token", "secret", "*.secret", "headers.authorization"], censor: "[ẩn]" },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === "string" ? a.replace(TOKEN_IN_URL, "bot***") : a));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (err: Error) => ({ type: err.name, message: String(err.message).replace(TOKEN_IN_URL, "bot***") }),
      },
    },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: "silent" });
