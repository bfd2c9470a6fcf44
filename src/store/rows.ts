// Row shapes shared by the store's readers.
import type { Unit, UnitLevel } from "../core/types.js";

export interface UnitRow {
  code: string;
  name: string;
  level: UnitLevel;
  parent_code: string | null;
}

export const toUnit = (r: UnitRow): Unit => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code });
