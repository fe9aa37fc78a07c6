import { describe, expect, it } from "vitest";
import { overlapsBusinessHours, parseBusinessHours } from "./business-hours.js";

const weekdays = parseBusinessHours("Mon-Fri 08:00-18:00");

describe("business hours", () => {
  it("reads day ranges and lists", () => {
    expect(parseBusinessHours("Mon,Wed-Thu 09:30-17:00")).toEqual({ days: [1, 3, 4], startMinute: 570, endMinute: 1020, label: "Mon,Wed-Thu 09:30-17:00" });
  });

  it("finds an overlap of a few minutes at the end of a window, in the window's zone", () => {
    // Tue 2026-12-01 06:10 US/Central (CST, UTC-6) for 2 h ends 08:10: ten minutes into business hours
    expect(overlapsBusinessHours(new Date("2026-12-01T12:10:00Z"), 2, "US/Central", weekdays)).toBe(true);
    // 06:00-08:00 Central ends as business hours start: no overlap
    expect(overlapsBusinessHours(new Date("2026-12-01T12:00:00Z"), 2, "US/Central", weekdays)).toBe(false);
  });

  it("counts only the configured days: a Friday night window running into Saturday does not overlap", () => {
    // Fri 2026-12-04 22:00 Europe/Berlin (CET, UTC+1) for 12 h: Sat 10:00 is not a business day
    expect(overlapsBusinessHours(new Date("2026-12-04T21:00:00Z"), 12, "Europe/Berlin", weekdays)).toBe(false);
    // Sun 22:00 for 12 h reaches Mon 10:00
    expect(overlapsBusinessHours(new Date("2026-12-06T21:00:00Z"), 12, "Europe/Berlin", weekdays)).toBe(true);
  });
});
