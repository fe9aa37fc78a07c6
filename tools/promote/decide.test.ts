import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { fixtureEvidence, fixtureRecord, PROMOTED_AT } from "../../test/support/promotion.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { baselinePatchId } from "./patch-id.js";
import { decidePromotion, PromotionRefused } from "./decide.js";
import { describePromotion } from "./describe.js";

const ids = (list: ReadonlyArray<{ id: string }> | undefined) => (list ?? []).map((p) => p.id);

describe("the id a baseline lists a patch by", () => {
  it.each([
    ["WINDOWS", "KB5070884", "2026-11 Cumulative Update … (KB5070884)", "KB5070884"],
    ["AMAZON_LINUX_2023", "kernel.x86_64", "kernel.x86_64:0:6.1.158-180.294.amzn2023", "kernel-6.1.158-180.294.amzn2023.x86_64"],
    ["AMAZON_LINUX_2", "bind-libs.x86_64", "bind-libs.x86_64:32:9.11.4-26.P2.amzn2.16", "bind-libs-9.11.4-26.P2.amzn2.16.x86_64"],
    ["REDHAT_ENTERPRISE_LINUX", "openssh.x86_64", "openssh.x86_64:0:8.7p1-45.el9_6.1", "openssh-8.7p1-45.el9_6.1.x86_64"],
    ["UBUNTU", "libssl3.amd64", "libssl3.amd64:3.0.2-0ubuntu1.20", "libssl3"],
    ["DEBIAN", "tzdata", "tzdata:2025b-0+deb12u1", "tzdata"],
  ])("%s %s", (os, KBId, Title, id) => {
    expect(baselinePatchId(os, { KBId, Title })).toBe(id);
  });
});

describe("deciding a promotion from evidence", () => {
  const record = fixtureRecord();

  it("promotes what installed widely enough, without failures beyond the rate, soaked long enough", () => {
    expect(ids(record.promoted.WINDOWS)).toEqual(["KB5070530", "KB5070884", "KB890830"]);
    expect(ids(record.promoted.AMAZON_LINUX_2023)).toEqual([
      "kernel-6.1.158-180.294.amzn2023.x86_64",
      "openssl-libs-3.2.2-1.amzn2023.0.3.x86_64",
      "sudo-1.9.15-1.p5.amzn2023.0.4.x86_64",
      "systemd-252.23-9.amzn2023.x86_64",
    ]);
    expect(record.promoted.WINDOWS!.find((p) => p.id === "KB5070884")).toMatchObject({ installed: 8, pendingReboot: 1, failed: 0, missing: 0 });
  });

  it("holds back each patch that breaks a rule, saying which", () => {
    const held = Object.entries(record.heldBack).flatMap(([os, list]) => list.map((p) => `${os} ${p.id}: ${p.reason}: ${p.detail}`));
    expect(held).toEqual([
      "AMAZON_LINUX_2023 glibc-2.34-117.amzn2023.0.2.x86_64: not-soaked: first installed 2026-11-20, 0 days before the evidence; soakDays is 3",
      "AMAZON_LINUX_2023 glibc-common-2.34-117.amzn2023.0.2.x86_64: not-soaked: first installed 2026-11-20, 0 days before the evidence; soakDays is 3",
      "REDHAT_ENTERPRISE_LINUX libxml2-2.9.13-9.el9_6.2.x86_64: too-few-instances: never installed (missing on 8 instances); minInstances is 2",
      "WINDOWS KB5034439: failed: failed on 2 of 8 instances (25 %); maxFailureRate allows 5 %",
      "WINDOWS KB5070652: too-few-instances: installed on 1 instance only; minInstances is 2",
    ]);
  });

  it("cuts off at the release date preprod's baselines approved at its latest install window", () => {
    // preprod approves 7 days after release; its latest install window started 2026-11-20 03:00 UTC
    // 20 Nov 03:00 UTC minus 7 days approved releases until 13 Nov 03:00: the last whole day is the 12th
    expect(record.cutoffDate).toBe("2026-11-12");
    expect(record.evidence).toMatchObject({
      latestInstallWindowAt: "2026-11-20T03:00:00.000Z",
      windowExecutions: 4,
      windowExecutionsNotSucceeded: 1,
      instances: 40,
    });
  });

  it("takes the source's own approve-until date as the cut-off", () => {
    const input = exampleWith((d) => {
      delete d.environments.preprod.approveAfterDays;
      d.environments.preprod.approveUntilDate = "2026-11-02";
      delete d.environments.prod.approveAfterDays;
      d.environments.prod.approveUntilDate = "2026-11-01";
    });
    expect(fixtureRecord(input).cutoffDate).toBe("2026-11-02");
  });

  it("promotes only for the operating systems the target runs", () => {
    const input = exampleWith(
      (d) => (d.environments.prod.patchGroups = [{ name: "web-prod", operatingSystems: ["WINDOWS"], maintenanceWindow: "prod-monthly" }]),
    );
    const windowsOnly = fixtureRecord(input);
    expect(Object.keys(windowsOnly.promoted)).toEqual(["WINDOWS"]);
    expect(Object.keys(windowsOnly.heldBack)).toEqual(["WINDOWS"]);
  });

  it("promotes a patch whose failures stay within the rate, and holds back one the source's baseline rejects", () => {
    const config = parseOrgConfig(exampleOrganization, { now: PROMOTED_AT });
    const evidence = fixtureEvidence();
    const instances = structuredClone(evidence.document.instances);
    const withPatch = (kb: string) => instances.filter((i) => i.Patches.some((p) => p.KBId === kb));
    // sudo failed on 1 of its 10 instances (10 %), openssl-libs on none; with a rate of 10 % sudo passes
    withPatch("sudo.x86_64")[0]!.Patches.find((p) => p.KBId === "sudo.x86_64")!.State = "Failed";
    withPatch("KB890830")[0]!.Patches.find((p) => p.KBId === "KB890830")!.State = "InstalledRejected";
    const changed = { ...evidence, document: { ...evidence.document, instances } };
    const input = exampleWith((d) => (d.environments.prod.promotion.maxFailureRate = "10%"));
    const relaxed = parseOrgConfig(input, { now: PROMOTED_AT });
    const decided = decidePromotion({ evidence: changed, from: relaxed.environments[1]!, to: relaxed.environments[2]!, now: PROMOTED_AT });
    expect(decided.promoted.AMAZON_LINUX_2023!.find((p) => p.id.startsWith("sudo-"))).toMatchObject({ installed: 9, failed: 1 });
    expect(decided.heldBack.WINDOWS!.find((p) => p.id === "KB890830")).toMatchObject({
      reason: "rejected-in-source",
      detail: "preprod's baseline rejects it (InstalledRejected on 1 instance)",
    });
    // at the example's 5 % the same failure holds sudo back
    const strict = decidePromotion({ evidence: changed, from: config.environments[1]!, to: config.environments[2]!, now: PROMOTED_AT });
    expect(strict.heldBack.AMAZON_LINUX_2023!.find((p) => p.id.startsWith("sudo-"))!.detail).toBe(
      "failed on 1 of 10 instances (10 %); maxFailureRate allows 5 %",
    );
  });

  it("refuses evidence older than the record may be, and says so", () => {
    const config = parseOrgConfig(exampleOrganization, { now: PROMOTED_AT });
    const late = new Date("2026-12-26T09:00:00.000Z");
    expect(() => decidePromotion({ evidence: fixtureEvidence(), from: config.environments[1]!, to: config.environments[2]!, now: late })).toThrow(
      "test/fixtures/evidence/preprod.json (preprod/20261120T080000Z-5e0c9d1a) was collected 2026-11-20, 36 days ago; prod.promotion.maxRecordAgeDays is 35: a record made from it would be stale from the start",
    );
  });

  it("promotes no operating system the source runs none of: its baseline keeps the configured approval", () => {
    const evidence = fixtureEvidence();
    const withoutRhel = {
      ...evidence,
      document: { ...evidence.document, instances: evidence.document.instances.filter((i) => !i.PlatformName.startsWith("Red Hat")) },
    };
    const config = parseOrgConfig(exampleOrganization, { now: PROMOTED_AT });
    const decided = decidePromotion({ evidence: withoutRhel, from: config.environments[1]!, to: config.environments[2]!, now: PROMOTED_AT });
    expect(decided.evidence.instancesByOs).toEqual({ AMAZON_LINUX_2: 8, AMAZON_LINUX_2023: 10, REDHAT_ENTERPRISE_LINUX: 0, UBUNTU: 6, WINDOWS: 8 });
    expect(decided.promoted.REDHAT_ENTERPRISE_LINUX).toBeUndefined();
    expect(describePromotion(decided)).toContain("; REDHAT_ENTERPRISE_LINUX: preprod runs none, approved as configured;");
  });

  it("names the accounts and regions the evidence could not read", () => {
    const evidence = fixtureEvidence();
    const targets = evidence.document.targets.map((t, n) => (n === 0 ? { ...t, status: "unreachable" as const, reason: "access denied", instances: 0 } : t));
    const partial = { ...evidence, document: { ...evidence.document, targets } };
    const config = parseOrgConfig(exampleOrganization, { now: PROMOTED_AT });
    const decided = decidePromotion({ evidence: partial, from: config.environments[1]!, to: config.environments[2]!, now: PROMOTED_AT });
    expect(decided.evidence.unreachableTargets).toEqual(["payments-preprod (300000000001) us-east-1"]);
    expect(describePromotion(decided)).toContain("; 1 of preprod's accounts and regions unreachable (payments-preprod (300000000001) us-east-1)");
  });

  it("refuses evidence in which the source's install windows never ran", () => {
    const config = parseOrgConfig(exampleOrganization, { now: PROMOTED_AT });
    const evidence = fixtureEvidence();
    const none = { ...evidence, document: { ...evidence.document, windowExecutions: [] } };
    expect(() => decidePromotion({ evidence: none, from: config.environments[1]!, to: config.environments[2]!, now: PROMOTED_AT })).toThrow(
      new PromotionRefused(
        "test/fixtures/evidence/preprod.json (preprod/20261120T080000Z-5e0c9d1a) holds no execution of preprod's install windows (preprod-weekly) since 2026-10-16: there is nothing to promote until preprod has patched",
      ),
    );
  });

  it("refuses evidence of another environment", () => {
    const config = parseOrgConfig(exampleOrganization, { now: PROMOTED_AT });
    expect(() => decidePromotion({ evidence: fixtureEvidence(), from: config.environments[0]!, to: config.environments[2]!, now: PROMOTED_AT })).toThrow(
      "prod.promotion.from is preprod, not dev",
    );
  });

  it("is said in plain words", () => {
    expect(describePromotion(record)).toBe(
      "prod approves 17 patches that passed preprod on 40 instances (0 % failed) over 7 days, released on or before 2026-11-12 (evidence preprod/20261120T080000Z-5e0c9d1a of 2026-11-20); " +
        "5 held back: glibc-2.34-117.amzn2023.0.2.x86_64 (AMAZON_LINUX_2023) first installed 2026-11-20, 0 days before the evidence; " +
        "glibc-common-2.34-117.amzn2023.0.2.x86_64 (AMAZON_LINUX_2023) first installed 2026-11-20, 0 days before the evidence; " +
        "libxml2-2.9.13-9.el9_6.2.x86_64 (REDHAT_ENTERPRISE_LINUX) never installed (missing on 8 instances); KB5034439 (WINDOWS) failed on 2 of 8 instances (25 %); " +
        "KB5070652 (WINDOWS) installed on 1 instance only",
    );
  });
});
