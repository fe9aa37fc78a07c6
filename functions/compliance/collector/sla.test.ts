import { describe, expect, it } from "vitest";
import { ageInDays, assess, slaDaysFor, summarize, type ReportedPatch } from "./sla.js";

const now = new Date("2027-01-15T07:00:00Z");
const daysBefore = (days: number, hours = 0) => new Date(now.getTime() - days * 86_400_000 - hours * 3_600_000);
const sla = { Critical: 14, Important: 30 };
const patch = (extra: Partial<ReportedPatch> = {}): ReportedPatch => ({
  patchId: "KB5034441",
  title: "2027-01 Cumulative Update",
  classification: "SecurityUpdates",
  severity: "Critical",
  state: "Missing",
  ...extra,
});

describe("a patch's age", () => {
  it("is the whole days since its release, rounded down", () => {
    expect(ageInDays(daysBefore(14, 23), now)).toBe(14);
    expect(ageInDays(daysBefore(15), now)).toBe(15);
    expect(ageInDays(daysBefore(0, 1), now)).toBe(0);
  });

  it("is unknown without a release date", () => {
    expect(ageInDays(undefined, now)).toBeNull();
    expect(ageInDays(new Date(Number.NaN), now)).toBeNull();
  });

  it("is 0, never negative, for a release date after the collection", () => {
    expect(ageInDays(new Date("2027-01-20T00:00:00Z"), now)).toBe(0);
  });
});

describe("a patch's SLA", () => {
  it("is the days of its severity, whatever the case the API spells it in", () => {
    expect(slaDaysFor(sla, "Critical")).toBe(14);
    expect(slaDaysFor(sla, "CRITICAL")).toBe(14);
    expect(slaDaysFor(sla, " important ")).toBe(30);
  });

  it("is none for a severity the configuration does not name, or none at all", () => {
    expect(slaDaysFor(sla, "Moderate")).toBeNull();
    expect(slaDaysFor(sla, "")).toBeNull();
  });
});

describe("a breach", () => {
  it("is a patch older than its severity's days; on the deadline day it is not yet", () => {
    expect(assess(patch(), daysBefore(14, 23), sla, now)).toMatchObject({ ageDays: 14, slaDays: 14, breach: false });
    expect(assess(patch(), daysBefore(15), sla, now)).toMatchObject({ ageDays: 15, slaDays: 14, breach: true, releaseDate: "2026-12-31" });
  });

  it("is never a patch of unknown age, nor one whose severity has no SLA, nor one released after the collection", () => {
    expect(assess(patch(), undefined, sla, now)).toMatchObject({ releaseDate: null, ageDays: null, slaDays: 14, breach: false });
    expect(assess(patch({ severity: "Low" }), daysBefore(400), sla, now)).toMatchObject({ ageDays: 400, slaDays: null, breach: false });
    expect(assess(patch(), new Date("2027-02-01T00:00:00Z"), sla, now)).toMatchObject({ ageDays: 0, breach: false, releaseDate: "2027-02-01" });
  });

  it("counts a patch that failed to install like a missing one", () => {
    expect(assess(patch({ state: "Failed" }), daysBefore(20), sla, now)).toMatchObject({ state: "Failed", breach: true });
  });
});

describe("an instance's summary", () => {
  it("counts breaches and unknown ages, keeps the oldest known age and the patch most days past its SLA", () => {
    const assessed = [
      assess(patch({ patchId: "KB1", severity: "Critical" }), daysBefore(20), sla, now), // 6 days past
      assess(patch({ patchId: "KB2", severity: "Important" }), daysBefore(40), sla, now), // 10 days past
      assess(patch({ patchId: "KB3", severity: "Low" }), daysBefore(90), sla, now), // oldest, no SLA
      assess(patch({ patchId: "kernel.x86_64", severity: "Important" }), undefined, sla, now),
    ];
    expect(summarize(assessed)).toEqual({
      breaches: 2,
      oldestMissingDays: 90,
      unknownAge: 1,
      worst: { patchId: "KB2", title: "2027-01 Cumulative Update", severity: "Important", ageDays: 40, slaDays: 30 },
    });
  });

  it("has no worst patch and no oldest age when nothing is past its SLA and no age is known", () => {
    expect(summarize([assess(patch(), undefined, sla, now)])).toEqual({ breaches: 0, unknownAge: 1 });
  });

  it("picks the same worst patch whatever order the API lists them in", () => {
    const a = assess(patch({ patchId: "KB9" }), daysBefore(20), sla, now);
    const b = assess(patch({ patchId: "KB1" }), daysBefore(20), sla, now);
    expect(summarize([a, b])!.worst!.patchId).toBe("KB1");
    expect(summarize([b, a])!.worst!.patchId).toBe("KB1");
  });

  it("is absent for an instance without missing patches", () => {
    expect(summarize([])).toBeUndefined();
  });
});
