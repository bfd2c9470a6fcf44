// The HTTP side of a platform webhook, shared by Telegram and Zalo: only POST (405 otherwise), the secret header
// checked in constant time (401), a bounded body (413) that must be a JSON object (400 for an empty body or
// malformed JSON), then the adapter's answer: 200 once the update is stored or parked, 500 to have the platform
// deliver it again.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Route } from "./http-server.js";
import type { Logger } from "./logger.js";

const MAX_BODY = 1024 * 1024;

export interface WebhookOptions {
  /** Lower-case header name carrying the secret. */
  secretHeader: string;
  secret: string;
  log: Logger;
  /** True: stored (answer 200); false: ask the platform to redeliver (500). */
  accept: (body: Record<string, unknown>) => boolean | Promise<boolean>;
  /** The body of a 200 answer. */
  okBody?: string;
}

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

export function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A route for HttpServer that applies the rules above. */
export function webhookRoute(opts: WebhookOptions): Route {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") {
      req.resume();
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    if (!sameSecret(req.headers[opts.secretHeader], opts.secret)) {
      opts.log.warn("webhook: request without the right secret refused");
      req.resume();
      res.writeHead(401).end();
      return;
    }
    const body = await readBody(req);
    if (!body) {
      res.writeHead(413).end();
      return;
    }
    let json: unknown;
    try {
      json = body.length === 0 ? undefined : JSON.parse(body.toString("utf8"));
    } catch {
      json = undefined;
    }
    if (!json || typeof json !== "object" || Array.isArray(json)) {
      opts.log.warn({ bytes: body.length }, "webhook: body is not a JSON object");
      res.writeHead(400).end();
      return;
    }
    if (!(await opts.accept(json as Record<string, unknown>))) {
      res.writeHead(500).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(opts.okBody ?? "");
  };
}
