// One-time codes that bootstrap staff, officers and admins (redeemed in chat with /dangky <mã>).
import { randomInt } from "node:crypto";
import type { DB } from "./db.js";
import type { Role } from "../core/types.js";

// No 0/O, 1/I/L: the code is read aloud over the phone and typed on small keyboards.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function newInviteCode(): string {
  let code = "";
  for (let i = 0; i < 8; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export function createInvite(db: DB, role: Role, unitCode: string, now: Date, days = 7): string {
  const code = newInviteCode();
  const expires = new Date(now.getTime() + days * 86_400_000);
  db.prepare("INSERT INTO invites (code, role, unit_code, created_at, expires_at) VALUES (?, ?, ?, ?, ?)").run(
    code,
    role,
    unitCode,
    now.toISOString(),
    expires.toISOString(),
  );
  return code;
}
