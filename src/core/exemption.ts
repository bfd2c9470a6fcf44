// An exemption: staff have excused one reporting unit (an area, or a commune for a form communes fill) from
// one report — a form's period — with a reason ("sáp nhập vào Ấp Bến Đò", "trưởng ban ốm"). It is a stored
// fact, granted and lifted by name and time, never deleted: summaries count the unit as not expected,
// reminders pass it by and drafts name it with its reason.

/** An exemption in force (granted and not lifted). */
export interface Exemption {
  /** The exempt unit's code. */
  unit: string;
  form: string;
  /** The key of the form's own period it is exempt from (e.g. "2026-M11"). */
  period: string;
  reason: string;
  /** Who granted it: the person's key ("telegram:123") and name as it was then. */
  byPerson: string;
  by: string;
  /** When it was granted (ISO 8601). */
  at: string;
}

/** A grant as the audit trail keeps it: in force, or lifted by someone at some time. */
export interface ExemptionRecord extends Exemption {
  liftedBy?: string;
  liftedAt?: string;
}
