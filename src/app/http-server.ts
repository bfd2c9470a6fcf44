// One small HTTP server for everything the platforms call: Telegram and Zalo webhooks, and health checks.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export class HttpServer {
  private readonly routes = new Map<string, Route>();
  private health: () => object = () => ({ status: "ok" });
  private readonly prefixes: Array<{ prefix: string; handler: Route }> = [];
  private server?: Server;

  /** What GET /healthz answers (JSON): the outbox backlog, the last update's time… */
  healthFrom(provider: () => object): void {
    this.health = provider;
  }

  route(path: string, handler: Route): void {
    this.routes.set(path, handler);
  }

  /** Every path under `prefix` (e.g. "/files/"); the handler reads the rest of req.url and checks the method. */
  routePrefix(prefix: string, handler: Route): void {
    this.prefixes.push({ prefix, handler });
    this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  async listen(port: number, host = "0.0.0.0"): Promise<number> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0]!;
      if (path === "/healthz") {
        let body: string;
        try {
          body = JSON.stringify(this.health());
        } catch (err) {
          // The process answers, but cannot read its own state (the database is gone): not healthy.
          res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ status: "error", error: String((err as Error).message) }));
          return;
        }
        res.writeHead(200, { "content-type": "application/json" }).end(body);
        return;
      }
      const handler = this.routes.get(path) ?? this.prefixes.find((p) => path.startsWith(p.prefix))?.handler;
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      Promise.resolve(handler(req, res)).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const addr = this.server.address();
    return typeof addr === "object" && addr ? addr.port : port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server.closeAllConnections();
  }
}
