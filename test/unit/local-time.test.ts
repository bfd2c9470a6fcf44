// Local time in Vietnam, whatever zone the server runs in.
import { describe, expect, it } from "vitest";
import { addDays, formatClock, formatDateTime, formatDayClock, localDate, localInstant, localMinutes, minutesOf } from "../../src/core/local-time.js";

describe("local time", () => {
  it("is already tomorrow in Vietnam at 17:30 UTC", () => {
    const at = new Date("2026-11-24T17:30:00Z");
    expect(localDate(at)).toBe("2026-11-25");
    expect(localMinutes(at)).toBe(30);
    expect(formatClock(at)).toBe("00:30");
    expect(formatDayClock(at)).toBe("25/11 00:30");
    expect(formatDateTime(at.getTime())).toBe("25/11/2026 00:30");
  });

  it("turns a local date and wall-clock time into the instant", () => {
    expect(new Date(localInstant("2026-11-16", "08:00")).toISOString()).toBe("2026-11-16T01:00:00.000Z");
    expect(new Date(localInstant("2026-01-01")).toISOString()).toBe("2025-12-31T17:00:00.000Z");
    expect(minutesOf("21:30")).toBe(1290);
  });

  it("counts days across month and year ends", () => {
    expect(addDays("2026-11-30", 1)).toBe("2026-12-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2026-11-16", 0)).toBe("2026-11-16");
  });
});
