// Command line for administrators: `npm run cli -- <command> …`. Uses the same DATABASE_PATH as the bot.
//   units import <file.csv>        import or update the unit tree
//   units list                     show the unit tree
//   invite --role <r> --unit <c>   print a one-time code (last line) to redeem with /dangky <mã>
//   report --unit <c> [--form <tên>] [--period <kỳ>] --out <file.docx>   draft a unit's own report
//   summary --unit <c> [--form <tên>] [--period <kỳ>] --out <file.docx>  draft a commune's (or higher) summary
//   export --unit <c> [--form <tên>] [--period <kỳ>] --out <file.xlsx>   figures per unit and the audit trail
//   targets set --unit <c> [--form <tên>] --field <id> --value <n> [--year <yyyy>] · targets list --unit <c>
//   (--form: the report kind's short name; needed only when several kinds apply to the unit)
//   backup <file> · parked [list|retry|drop]   operator commands (src/cli/ops.ts)
//   totals rebuild | check         the kept totals made again from the answers, or compared with them (src/cli/totals.ts)
// Every run says on stderr which database it uses.
import { existsSync, writeFileSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { offsetClock, systemClock, type Clock } from "../core/clock.js";
import { readEnv } from "../config/env.js";
import { loadPrompts, type Prompts } from "../config/load-prompts.js";
import { openDatabase, type DB } from "../store/db.js";
import { importUnitsFile, rootUnits, unitExists } from "../store/units.js";
import { setTarget } from "../store/targets.js";
import type { FormDef } from "../core/forms/schema.js";
import { foldText } from "../core/numbers/normalize.js";
import { collectedPeriod, formsFilledBy, formsOverseenBy, openFormsFor, openFormsOver } from "../core/open-reports.js";
import { createInvite } from "../store/invites.js";
import { SqlWorld } from "../store/sql-world.js";
import { DocumentService } from "../app/documents.js";
import { periodKey, periodLabel, type Period } from "../core/periods.js";
import { localDate } from "../core/local-time.js";
import { checkTypedPeriod, typedRound } from "../core/conversation/period-arg.js";
import type { Role, Unit } from "../core/types.js";
import { DEFAULT_DATABASE, DEFAULT_PROMPTS } from "../paths.js";
import { backup, OpsUsageError, parked } from "./ops.js";
import { totalsCommand, totalsReady } from "./totals.js";

const ROLES: Role[] = ["reporter", "commune_staff", "officer", "admin"];

const USAGE = `Cách dùng: npm run cli -- <lệnh>
  units import <file.csv>                      nhập danh sách đơn vị (code,name,level,parent_code)
  units list                                   xem cây đơn vị
  invite --role <${ROLES.join("|")}> --unit <mã> [--days 7]
                                               tạo mã mời dùng một lần (dòng cuối)
  report --unit <mã khu> [--form <tên ngắn>] [--period <kỳ>] --out <file.docx>
                                               tạo bản nháp báo cáo của một khu dân cư (hoặc của xã)
  summary --unit <mã xã> [--form <tên ngắn>] [--period <kỳ>] --out <file.docx>
                                               tạo bản nháp báo cáo tổng hợp của xã (hoặc cấp trên)
  export --unit <mã xã> [--form <tên ngắn>] [--period <kỳ>] --out <file.xlsx>
                                               xuất bảng Excel số liệu và lịch sử sửa
  targets set --unit <mã> [--form <tên ngắn>] --field <mã chỉ tiêu> --value <số> [--year <năm>]
  targets list --unit <mã> [--form <tên ngắn>] [--year <năm>]
                                               chỉ tiêu năm của đơn vị
  --form chọn loại báo cáo theo tên ngắn (ví dụ --form thang); chỉ cần khi đơn vị có nhiều loại báo cáo.
  backup <file.sqlite>                         sao lưu cơ sở dữ liệu trong khi bot vẫn chạy
  parked [list] [--all] | retry <số|all> | drop <số>
                                               các cập nhật bot chưa lưu được sau nhiều lần thử
  totals rebuild | check                       tính lại số liệu tổng hợp từ các câu trả lời, hoặc kiểm tra chúng khớp
Cơ sở dữ liệu: DATABASE_PATH (mặc định data/baocao.sqlite; trình mô phỏng dùng data/simulator.sqlite).`;

class UsageError extends Error {}

const COMMANDS = ["units", "invite", "report", "summary", "export", "targets", "totals"];

/** The --options, with Node's English parse errors said in Vietnamese. */
function options(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        role: { type: "string" },
        unit: { type: "string" },
        days: { type: "string" },
        period: { type: "string" },
        form: { type: "string" },
        out: { type: "string" },
        field: { type: "string" },
        value: { type: "string" },
        year: { type: "string" },
      },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (err) {
    const e = err as Error & { code?: string };
    const option = /'(-{1,2}[^'\s]+)/.exec(e.message)?.[1] ?? "";
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`Không có tùy chọn “${option}”.\n${USAGE}`);
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw new UsageError(`Tùy chọn “${option}” cần một giá trị đi kèm.\n${USAGE}`);
    if (e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") throw new UsageError(`Không hiểu “${/'([^']*)'/.exec(e.message)?.[1] ?? ""}”: các giá trị đi sau một tùy chọn (--unit 25747).\n${USAGE}`);
    throw err;
  }
}

/** A whole number option within bounds ("--days=abc" is refused with an example, not "Invalid time value"). */
function wholeNumber(option: string, text: string, min: number, max: number, example: string): number {
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) {
    throw new UsageError(`${option} phải là một số nguyên từ ${min} đến ${max} (nhận được “${text}”), ví dụ ${example}.`);
  }
  return n;
}

function writeOutput(file: string, bytes: Uint8Array): void {
  try {
    writeFileSync(file, bytes);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT") throw new UsageError(`Không ghi được “${file}”: thư mục không tồn tại.`);
    if (code === "EISDIR") throw new UsageError(`Không ghi được “${file}”: đó là một thư mục.`);
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") throw new UsageError(`Không có quyền ghi tệp “${file}”.`);
    throw err;
  }
}

/** A file's bytes, or a Vietnamese word on why it cannot be read. */
function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT") throw new UsageError(`Không tìm thấy tệp “${file}”.`);
    if (code === "EISDIR") throw new UsageError(`“${file}” là một thư mục, không phải tệp CSV.`);
    if (code === "EACCES" || code === "EPERM") throw new UsageError(`Không có quyền đọc tệp “${file}”.`);
    throw err;
  }
}

/**
 * The report kind a command is about: `--form` by short name (or id), else the only kind that applies to the
 * unit (filled by it for `report`, overseen by it otherwise), else the only one being collected now.
 */
function formFor(prompts: Prompts, db: DB, unit: Unit, typed: string | undefined, use: "fill" | "oversee", now: Date): FormDef {
  const c = { world: new SqlWorld(db), forms: prompts.forms, now };
  const applies = use === "fill" ? formsFilledBy(prompts.forms, unit) : formsOverseenBy(prompts.forms, unit);
  const kinds = applies.map((f) => `${f.short} (${f.name})`).join(", ");
  if (typed) {
    const form = prompts.forms.find((f) => f.short === foldText(typed) || f.id === typed.trim());
    if (!form || !applies.includes(form)) throw new UsageError(`Không có loại báo cáo “${typed}” cho ${unit.code} (${unit.name}). Các loại: ${kinds || "không có"}.`);
    return form;
  }
  if (applies.length === 1) return applies[0]!;
  const open = (use === "fill" ? openFormsFor(c, unit) : openFormsOver(c, unit)).map((o) => o.form);
  if (open.length === 1) return open[0]!;
  if (applies.length === 0) throw new UsageError(`${unit.code} (${unit.name}) không có loại báo cáo nào.`);
  throw new UsageError(`${unit.code} có nhiều loại báo cáo; chọn bằng --form: ${kinds}.`);
}

/** `--period` as staff type it ("quý 4/2026", "tháng trước"), within the same window as /tonghop. */
function periodFor(prompts: Prompts, db: DB, form: FormDef, unit: Unit, label: string | undefined, now: Date): Period {
  const world = new SqlWorld(db);
  const current = collectedPeriod({ world, forms: prompts.forms, now }, form, unit.code);
  if (!label) return current;
  // A round is named by its number ("R12"), "đợt trước" or words of its name.
  const checked = form.period.kind === "round" ? typedRound({ world, now, messages: prompts.messages }, form, unit.code, label) : checkTypedPeriod(label, "summary", { now, form, messages: prompts.messages, current, command: "--period" });
  if (!checked.ok) throw new UsageError(checked.message);
  return checked.period;
}

async function run(argv: string[], db: DB, clock: Clock): Promise<string> {
  const [cmd, sub, ...rest] = argv;
  const now = clock.now();
  if (cmd === "backup") return backup(db, sub);
  if (cmd === "parked") return parked(db, loadPrompts(process.env.PROMPTS_DIR ?? DEFAULT_PROMPTS), clock, argv.slice(1));
  if (cmd === "totals") {
    const answer = totalsCommand(db, loadPrompts(process.env.PROMPTS_DIR ?? DEFAULT_PROMPTS), sub);
    if (answer === undefined) throw new UsageError(`Không có lệnh “${["totals", sub].filter(Boolean).join(" ")}”.\n${USAGE}`);
    return answer;
  }
  if (cmd === "units" && sub === "import") {
    const file = rest[0];
    if (!file) throw new UsageError("Thiếu đường dẫn tệp CSV, ví dụ: npm run cli -- units import data/sample-units.csv");
    const n = importUnitsFile(db, readInput(file));
    // A unit that moved takes its reports along: the totals are made again now, not at the bot's next start.
    totalsReady(db, loadPrompts(process.env.PROMPTS_DIR ?? DEFAULT_PROMPTS));
    return `Đã nhập ${n} đơn vị từ ${file}.`;
  }
  if (cmd === "units" && sub === "list") {
    const world = new SqlWorld(db);
    const roots = rootUnits(db);
    const lines: string[] = [];
    const seen = new Set<string>();
    // Each unit once, however the stored tree looks.
    const walk = (code: string, depth: number) => {
      const u = world.unit(code);
      if (!u || seen.has(code) || depth > 8) return;
      seen.add(code);
      lines.push(`${"  ".repeat(depth)}${u.code}  ${u.name} (${u.level})`);
      world.children(code).forEach((c) => walk(c.code, depth + 1));
    };
    roots.forEach((code) => walk(code, 0));
    return lines.join("\n") || "Chưa có đơn vị nào. Dùng: npm run cli -- units import data/sample-units.csv";
  }
  if (!COMMANDS.includes(cmd ?? "") || (cmd === "units" && sub !== "import" && sub !== "list") || (cmd === "targets" && sub !== "set" && sub !== "list")) {
    throw new UsageError(cmd ? `Không có lệnh “${[cmd, sub].filter(Boolean).join(" ")}”.\n${USAGE}` : USAGE);
  }
  const args = options(argv.slice(cmd === "targets" ? 2 : 1));
  if (cmd === "invite") {
    const role = args.role as Role | undefined;
    if (!role || !ROLES.includes(role)) throw new UsageError(`--role phải là một trong: ${ROLES.join(", ")}`);
    if (!args.unit || !unitExists(db, args.unit)) throw new UsageError(`Không có đơn vị “${args.unit ?? ""}”.`);
    const days = args.days === undefined ? 7 : wholeNumber("--days", args.days, 1, 365, "--days 7");
    const code = createInvite(db, role, args.unit, now, days);
    return `Mã mời (${role}, ${args.unit}, hết hạn sau ${days} ngày). Người nhận gõ trong Telegram: /dangky ${code}\n${code}`;
  }
  if (cmd === "report") {
    if (!args.unit || !args.out) throw new UsageError("Cần --unit và --out.");
    const unit = new SqlWorld(db).unit(args.unit);
    if (!unit) throw new UsageError(`Không có đơn vị “${args.unit}”.`);
    const prompts = loadPrompts(process.env.PROMPTS_DIR ?? DEFAULT_PROMPTS);
    if (formsFilledBy(prompts.forms, unit).length === 0) {
      throw new UsageError(`“${args.unit}” (${unit.name}) không tự điền báo cáo nào; bản nháp tổng hợp dùng lệnh summary.`);
    }
    const form = formFor(prompts, db, unit, args.form, "fill", now);
    const period = periodFor(prompts, db, form, unit, args.period, now);
    const docs = new DocumentService(new SqlWorld(db), prompts, clock);
    const file = await docs.areaReport({ unit: args.unit, form: form.id, period: periodKey(period) });
    writeOutput(args.out, file.bytes);
    return `Đã tạo bản nháp báo cáo ${periodLabel(period)} của ${args.unit}: ${args.out}`;
  }
  if (cmd === "summary" || cmd === "export") {
    if (!args.unit || !args.out) throw new UsageError("Cần --unit và --out.");
    const unit = new SqlWorld(db).unit(args.unit);
    if (!unit) throw new UsageError(`Không có đơn vị “${args.unit}”.`);
    const prompts = loadPrompts(process.env.PROMPTS_DIR ?? DEFAULT_PROMPTS);
    const form = formFor(prompts, db, unit, args.form, "oversee", now);
    const period = periodFor(prompts, db, form, unit, args.period, now);
    totalsReady(db, prompts);
    const docs = new DocumentService(new SqlWorld(db), prompts, clock);
    const report = { unit: args.unit, form: form.id, period: periodKey(period) };
    const file = cmd === "summary" ? await docs.summaryReport(report) : await docs.exportSheet(report);
    writeOutput(args.out, file.bytes);
    return `Đã tạo ${cmd === "summary" ? "bản nháp báo cáo tổng hợp" : "bảng số liệu"} ${periodLabel(period)} của ${args.unit}: ${args.out}`;
  }
  if (cmd === "targets") {
    const unit = args.unit ? new SqlWorld(db).unit(args.unit) : undefined;
    if (!args.unit || !unit) throw new UsageError(`Không có đơn vị “${args.unit ?? ""}”.`);
    const prompts = loadPrompts(process.env.PROMPTS_DIR ?? DEFAULT_PROMPTS);
    const form = formFor(prompts, db, unit, args.form, "oversee", now);
    const year = args.year === undefined ? Number(localDate(now).slice(0, 4)) : wholeNumber("--year", args.year, 2000, 2100, "--year 2026");
    if (sub === "set") {
      const field = form.sections.flatMap((s) => s.fields).find((f) => f.id === args.field && (f.kind === "count" || f.kind === "money"));
      const value = Number(args.value);
      if (!field) throw new UsageError(`--field phải là mã một chỉ tiêu dạng số của biểu mẫu (ví dụ tt_so_buoi).`);
      if (!Number.isFinite(value) || value < 0) throw new UsageError("--value phải là một số không âm.");
      setTarget(db, { unit: args.unit, form: form.id, year, field: field.id, value, by: "cli", at: now.toISOString() });
      return `Đã đặt chỉ tiêu năm ${year} của ${args.unit}: ${field.label} = ${value}`;
    }
    const rows = Object.entries(new SqlWorld(db).targets(args.unit, form.id, year));
    return rows.map(([field, value]) => `${field}\t${value}`).join("\n") || `Chưa có chỉ tiêu năm ${year} cho ${args.unit}.`;
  }
  throw new UsageError(USAGE);
}

async function main(): Promise<void> {
  const env = readEnv();
  const path = env.DATABASE_PATH ?? DEFAULT_DATABASE;
  // On stderr, so that scripts reading stdout (the invite code on the last line) are not disturbed.
  process.stderr.write(`Cơ sở dữ liệu: ${path}${existsSync(path) ? "" : " (chưa có, sẽ được tạo)"}\n`);
  const db = openDatabase(path);
  // BOT_CLOCK_START moves the CLI's clock like the bot's, so "tháng trước" means the same to both.
  const clock = env.BOT_CLOCK_START ? offsetClock(new Date(env.BOT_CLOCK_START)) : systemClock;
  try {
    process.stdout.write(`${await run(process.argv.slice(2), db, clock)}\n`);
  } finally {
    db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof UsageError || err instanceof OpsUsageError ? 2 : 1);
});
