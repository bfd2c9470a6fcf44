// Plain data shared by the core. No platform and no storage types leak in here.
import type { ReportKey } from "./report-key.js";

export const PLATFORMS = ["telegram", "zalo", "sim"] as const;
export type Platform = (typeof PLATFORMS)[number];
/**
 * Whether the bot can edit a message it sent. Zalo's Bot API has no edit, and the simulator prints every message
 * anew: there an edit is a new message in the chat, so what is refreshed often (a progress board) is sent less.
 */
export const EDITS_IN_PLACE: Readonly<Record<Platform, boolean>> = { telegram: true, zalo: false, sim: false };
export type UnitLevel = "province" | "district" | "commune" | "area";
export type Role = "reporter" | "commune_staff" | "officer" | "admin";

export interface PersonRef {
  platform: Platform;
  userId: string;
}

export interface Person extends PersonRef {
  name: string;
  username?: string;
  /** The full name given at /dangky when the chat name is a nickname: it signs the area's drafts. */
  fullName?: string;
}

export interface Unit {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
}

export interface RoleGrant {
  id: number;
  role: Role;
  unitCode: string;
}

/** A stored answer: a number (count, money, percentage), yes/no, a choice value or free text. */
export type Value = number | boolean | string;
/** Field id → value; null means the person skipped it on purpose; absent means not asked yet. */
export type AnswerMap = Record<string, Value | null>;

export type SubmissionStatus = "in_progress" | "completed" | "reopened";

export interface Submission {
  status: SubmissionStatus;
  version: number;
  completedAt?: string;
  /** Who completed it first: the leader of record, who signs the draft. */
  completedBy?: PersonRef;
}

/** A session working on one report: the report, and the group that receives its summary and draft. */
export interface OnReport {
  report: ReportKey;
  homeChatId: string;
}

/** What a person is doing in one chat; persisted so a restart or a few days' pause loses nothing. */
export type SessionState =
  | (OnReport & {
      mode: "form";
      /**
       * Figures waiting for the person: after a soft warning (confirmed with "có"), or after the bot asked
       * about its reading of an answer (`reading`). `fields`: the question they answer, when it is not the
       * current one (a late answer to an earlier question).
       */
      pending?: {
        values: Record<string, Value>;
        warnings: string[];
        fields?: string[];
        reading?: {
          /** Figures read with certainty, held until the rest is answered. */
          kept: Record<string, Value>;
          /** The fields the question asked about: the reply is read as these. */
          fields?: string[];
          /** Money typed without a unit, per field: a reply of only "nghìn" or "triệu" completes it. */
          bare?: Record<string, number>;
        };
      };
    })
  | (OnReport & { mode: "edit_choose"; fields: string[]; audit?: "staff" })
  | (OnReport & {
      mode: "edit_value";
      field: string;
      audit?: "staff";
      /** The new value raised a soft warning (as in the form) and waits for the person to confirm it. */
      pending?: { value: Value; warnings: string[] };
    })
  | { mode: "register"; areas: string[] }
  /**
   * A person who fills several units' reports chooses which one a reporter command is about; `form`: the report
   * kind already named in the command.
   */
  | { mode: "pick_area"; areas: string[]; command: "baocao" | "xem" | "sua"; args: string; form?: string }
  /**
   * Several report kinds apply and none was named: the person chooses one (`forms`, in the order shown), and
   * `command` goes on with it and `args`; `unit`: the unit already chosen for a leader's command.
   */
  | { mode: "pick_form"; forms: string[]; command: string; args: string; unit?: string }
  /** Asked once at /dangky when the chat name looks like a nickname. */
  | { mode: "full_name" };

export interface SessionKey {
  platform: Platform;
  chatId: string;
  userId: string;
}
