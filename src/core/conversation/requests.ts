// One leader per area unless staff approve another: /dangky for an area that already has a leader becomes a
// request that the commune's staff (or an officer above) approve or refuse — with the buttons under the notice in
// the group, or with /chapnhan <số> and /tuchoi <số> [lý do] there or in a private chat. /yeucau lists them.
import type { InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import type { Person, Unit } from "../types.js";
import type { RegistrationRequest } from "../world.js";
import { type Ctx, communeOf, isStaffOf, personOf, refuse, reply } from "./context.js";
import { askFullNameOf } from "./full-name.js";
import { clipUnits } from "../text.js";

export const REQUEST_BUTTON = /^rq:([01]):(\d{1,12})$/;

export function requestPurpose(id: number): string {
  return `request:${id}`;
}

/** The leaders an area has now, by name, for the notice ("Tư, Ba"). */
function leaderNames(ctx: Ctx, area: Unit): string {
  return ctx.world.holders(area.code, "reporter").map((p) => p.name).join(", ");
}

/** Staff of the area's commune on this platform, to be named (and so notified) in the notice. */
function staffToTell(ctx: Ctx, area: Unit, platform: InboundEvent["platform"]): Person[] {
  const commune = communeOf(ctx, area.code);
  if (!commune) return [];
  return ctx.world.holders(commune.code, "commune_staff").filter((p) => p.platform === platform);
}

/** /dangky chose an area that already has a leader: a request for the staff, told in the same group message. */
export function requestRegistration(ctx: Ctx, ev: InboundEvent, area: Unit): Effect[] {
  const m = ctx.messages;
  const person = personOf(ev);
  const waiting = ctx.world
    .pendingRequests()
    .find((r) => r.person.platform === person.platform && r.person.userId === person.userId && r.unit.code === area.code);
  if (waiting) return [reply(ev, fill(m.request_pending, { n: waiting.id, name: ev.from.name, area: area.name }))];
  const id = ctx.world.nextRequestId();
  const staff = staffToTell(ctx, area, ev.platform);
  const text = fill(m.request_sent, {
    area: area.name,
    leaders: leaderNames(ctx, area),
    n: id,
    name: ev.from.name,
    staff: staff.length > 0 ? staff.map((p) => p.name).join(", ") : m.left_staff_fallback,
  });
  return [
    { type: "request_registration", id, person, unit: area.code, chatId: ev.chat.id },
    // Anyone may see the buttons; only staff over the area are accepted when they press them.
    reply(ev, text, {
      owner: undefined,
      choices: [[{ label: m.request_approve_label, data: `rq:1:${id}` }, { label: m.request_refuse_label, data: `rq:0:${id}` }]],
      buttonsOnly: true,
      mentions: staff.map((p) => ({ userId: p.userId, name: p.name })),
      purpose: requestPurpose(id),
    }),
  ];
}

/** Requests the person may decide here: under the group's unit in a group, under any of their units in private. */
function decidable(ctx: Ctx, ev: InboundEvent): RegistrationRequest[] {
  const person = personOf(ev);
  const here = ev.chat.type === "group" ? ctx.world.chatUnit(ev.platform, ev.chat.id) : undefined;
  return ctx.world
    .pendingRequests()
    .filter((r) => isStaffOf(ctx, person, r.unit.code) && (!here || ctx.world.lineage(r.unit.code).some((u) => u.code === here)));
}

function isStaff(ctx: Ctx, ev: InboundEvent): boolean {
  return ctx.world.roles(personOf(ev)).some((g) => g.role !== "reporter");
}

/** /yeucau: the requests waiting for this person's decision. */
export function listRequests(ctx: Ctx, ev: InboundEvent): Effect[] {
  const m = ctx.messages;
  if (!isStaff(ctx, ev)) return [refuse(ctx, ev, "/yeucau", ["commune_staff", "officer"])];
  const list = decidable(ctx, ev);
  if (list.length === 0) return [reply(ev, m.requests_empty)];
  const lines = list.map((r) => fill(m.requests_line, { n: r.id, name: r.person.name, area: r.unit.name, leaders: leaderNames(ctx, r.unit) || "—" }));
  return [reply(ev, [m.requests_header, ...lines, m.requests_footer].join("\n"))];
}

/** /chapnhan <số> and /tuchoi <số> [lý do]. */
export function decideCommand(ctx: Ctx, ev: InboundEvent, args: string, approve: boolean): Effect[] {
  const m = ctx.messages;
  const command = approve ? "/chapnhan" : "/tuchoi";
  if (!isStaff(ctx, ev)) return [refuse(ctx, ev, command, ["commune_staff", "officer"])];
  const match = /^#?(\d{1,12})\b\s*([\s\S]*)$/.exec(args.trim());
  if (!match) return [reply(ev, fill(m.request_usage, { command }))];
  const id = Number(match[1]);
  const request = ctx.world.registrationRequest(id);
  if (!request || request.status !== "pending") return [reply(ev, fill(m.request_not_found, { n: id }))];
  if (!isStaffOf(ctx, personOf(ev), request.unit.code)) return [reply(ev, fill(m.request_not_staff, { area: request.unit.name }))];
  return decide(ctx, ev, request, approve, clipUnits(match[2]!.trim(), 300), false);
}

/** A press on the notice's buttons (the data may be forged: everything is checked again). */
export function decideButton(ctx: Ctx, ev: InboundEvent, data: string, callbackId?: string): Effect[] {
  const m = ctx.messages;
  const ack = (text?: string): Effect[] =>
    callbackId ? [{ type: "reply", out: { platform: ev.platform, chatId: ev.chat.id, text: "", callback: { id: callbackId, text } } }] : [];
  const match = REQUEST_BUTTON.exec(data);
  const request = match ? ctx.world.registrationRequest(Number(match[2])) : undefined;
  if (!match || !request || request.person.platform !== ev.platform) return ack(m.button_stale);
  if (request.status !== "pending") return ack(m.request_already);
  if (!isStaffOf(ctx, personOf(ev), request.unit.code)) return ack(fill(m.request_not_staff, { area: request.unit.name }));
  return [...ack(), ...decide(ctx, ev, request, match[1] === "1", "", true)];
}

function decide(ctx: Ctx, ev: InboundEvent, request: RegistrationRequest, approve: boolean, reason: string, viaButton: boolean): Effect[] {
  const m = ctx.messages;
  const staff = personOf(ev);
  const { person, unit } = request;
  const leaders = leaderNames(ctx, unit);
  const effects: Effect[] = [{ type: "decide_request", id: request.id, status: approve ? "approved" : "refused", by: staff, ...(reason ? { reason } : {}) }];
  if (approve) effects.push({ type: "grant_role", person, role: "reporter", unit: unit.code, by: `request:${request.id}:${staff.platform}:${staff.userId}` });
  // Decided with its buttons: the notice loses them and says how it ended. (A typed decision leaves the notice;
  // its buttons then answer that the request is already decided.)
  const platform = person.platform;
  const notice = viaButton ? ctx.world.botMessageByPurpose(platform, request.chatId, requestPurpose(request.id)) : undefined;
  const closed = fill(approve ? m.request_closed_approved : m.request_closed_refused, { n: request.id, name: person.name, area: unit.name, staff: staff.name });
  if (notice) effects.push({ type: "reply", out: { platform, chatId: request.chatId, text: closed, editOf: notice, purpose: requestPurpose(request.id) } });
  // The person is told in the group they asked in, by name.
  const told = approve
    ? fill(m.request_approved, { name: person.name, staff: staff.name, n: request.id, area: unit.name, leaders })
    : fill(m.request_refused, { name: person.name, n: request.id, area: unit.name, reason: reason ? fill(m.request_reason, { reason }) : "" });
  const out = { platform, chatId: request.chatId, text: told, mentions: [{ userId: person.userId, name: person.name }], purpose: "info" };
  const full = approve ? askFullNameOf(ctx, person, request.chatId, told) : undefined;
  effects.push(...(full ?? [{ type: "reply" as const, out }]));
  // Decided elsewhere (privately, or from another group): the staff member gets a word where they are.
  if (request.chatId !== ev.chat.id || platform !== ev.platform) effects.push(reply(ev, fill(m.request_done, { result: closed })));
  return effects;
}
