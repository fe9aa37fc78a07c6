import { describe, expect, it } from "vitest";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { parseOrgConfig } from "./index.js";
import { exampleWith, problemsAfter } from "../../test/support/config.js";

describe("approval settings of an environment", () => {
  it("fill in defaults for every field left out", () => {
    const config = parseOrgConfig({
      ...exampleOrganization,
      environments: { ...exampleOrganization.environments, dev: { ...exampleOrganization.environments.dev!, approval: { approverEmails: ["a@example.com"] } } },
    });
    expect(config.environments.find((e) => e.name === "dev")!.approval).toEqual({
      enabled: true,
      approverEmails: ["a@example.com"],
      reminderIntervalHours: 24,
      reminderCount: 2,
      onNoResponse: "reject",
      backupBeforePatch: false,
      backupTimeoutMinutes: 120,
      rebootOption: "RebootIfNeeded",
      patchTimeoutMinutes: 180,
      duringFreeze: "wait",
      channels: [],
      channelMembersMayDecide: false,
    });
  });

  it("are optional: without them the environment has no approval workflow", () => {
    expect(problemsAfter((d) => delete d.environments.dev.approval)).toEqual([]);
  });

  it.each([
    ["reminderIntervalHours", 0, "0 is not an interval in hours: a whole number from 1 to 168"],
    ["reminderIntervalHours", 1.5, "1.5 is not an interval in hours: a whole number from 1 to 168"],
    ["reminderCount", 11, "11 is not a reminder count: a whole number from 0 to 10"],
    ["backupTimeoutMinutes", 5, "5 is not a timeout in minutes: a whole number from 10 to 1440"],
    ["patchTimeoutMinutes", 1441, "1441 is not a timeout in minutes: a whole number from 10 to 1440"],
    ["onNoResponse", "ignore", '"ignore" is not allowed; allowed: "reject", "approve"'],
    ["rebootOption", "Always", '"Always" is not allowed; allowed: "RebootIfNeeded", "NoReboot"'],
    ["backupBeforePatch", "yes", '"yes" is not a boolean'],
  ])("rejects %s = %s", (field, value, message) => {
    expect(problemsAfter((d) => (d.environments.prod.approval[field] = value))).toEqual([`prod.approval.${field}: ${message}`]);
  });

  it("rejects an approver address that is not one, and one listed twice", () => {
    expect(problemsAfter((d) => (d.environments.prod.approval.approverEmails = ["board@example", "x@example.com", "x@example.com"]))).toEqual([
      'prod.approval.approverEmails[0]: "board@example" is not an e-mail address',
      'prod.approval.approverEmails[2]: "x@example.com" is listed twice in approverEmails',
    ]);
  });

  it("reports a misspelt field", () => {
    expect(problemsAfter((d) => (d.environments.prod.approval.remindersCount = 3))).toEqual(['prod.approval: unknown field "remindersCount"']);
  });
});

describe("organization-wide approval settings", () => {
  it.each([
    ["linkValidityHours", 169, "169 is not a validity in hours: a whole number from 1 to 168"],
    ["recordRetentionDays", 7, "7 is not a retention in days: a whole number from 30 to 3650"],
  ])("rejects %s = %s", (field, value, message) => {
    expect(problemsAfter((d) => (d.org.approval[field] = value))).toEqual([`org.approval.${field}: ${message}`]);
  });

  it("accepts a JWT issuer and audience", () => {
    expect(problemsAfter((d) => (d.org.approval.jwt = { issuer: "https://login.example.com/oauth2/default", audience: ["patchline-approvals"] }))).toEqual([]);
  });

  it("lets a JWT restrict decisions to approvers and owners, off unless asked", () => {
    const jwt = { issuer: "https://login.example.com", audience: ["patchline-approvals"] };
    const parsed = (extra: object) => parseOrgConfig(exampleWith((d) => (d.org.approval.jwt = { ...jwt, ...extra }))).org.approval.jwt;
    expect(parsed({})!.approversOnly).toBe(false);
    expect(parsed({ approversOnly: true })!.approversOnly).toBe(true);
    expect(problemsAfter((d) => (d.org.approval.jwt = { ...jwt, approversOnly: "yes" }))).toEqual(['org.approval.jwt.approversOnly: "yes" is not a boolean']);
  });

  it("offers the CloudFront and WAF edge, off unless configured, with a per-IP rate limit of 100 per 5 minutes by default", () => {
    expect(parseOrgConfig(exampleOrganization).org.approval.edge).toBeUndefined();
    expect(parseOrgConfig(exampleWith((d) => (d.org.approval.edge = {}))).org.approval.edge).toEqual({ rateLimitPerIp: 100, rateWindowSeconds: 300 });
    expect(parseOrgConfig(exampleWith((d) => (d.org.approval.edge = { rateLimitPerIp: 2000, rateWindowSeconds: 60 }))).org.approval.edge).toEqual({
      rateLimitPerIp: 2000,
      rateWindowSeconds: 60,
    });
  });

  it.each([
    ["rateLimitPerIp", 9, "9 is not a request count per IP address: a whole number from 10 to 2000000000"],
    ["rateLimitPerIp", 100.5, "100.5 is not a request count per IP address: a whole number from 10 to 2000000000"],
    ["rateWindowSeconds", 30, "30 is not a WAF rate window; allowed: 60, 120, 300, 600 (seconds)"],
    ["rateWindowSeconds", "300", '"300" is not a number'],
  ])("rejects edge.%s = %j", (field, value, message) => {
    expect(problemsAfter((d) => (d.org.approval.edge = { [field]: value }))).toEqual([`org.approval.edge.${field}: ${message}`]);
  });

  it("reports a misspelt edge field", () => {
    expect(problemsAfter((d) => (d.org.approval.edge = { rateLimit: 100 }))).toEqual(['org.approval.edge: unknown field "rateLimit"']);
  });

  it("takes the pages' own base URL (a sign-in proxy's), without its trailing slash", () => {
    expect(parseOrgConfig(exampleOrganization).org.approval.pageUrl).toBeUndefined();
    expect(parseOrgConfig(exampleWith((d) => (d.org.approval.pageUrl = "https://approvals.example.com/"))).org.approval.pageUrl).toBe(
      "https://approvals.example.com",
    );
  });

  it.each([
    "http://approvals.example.com",
    "https://approvals.example.com/?x=1",
    "https://approvals.example.com/#top",
    "https://u:p@approvals.example.com",
    "approvals",
  ])("rejects pageUrl %j", (value) => {
    expect(problemsAfter((d) => (d.org.approval.pageUrl = value))).toEqual([
      `org.approval.pageUrl: ${JSON.stringify(value)} is not an https base URL without query, fragment or credentials (e.g. "https://approvals.example.com")`,
    ]);
  });

  it("requires an https issuer and at least one audience", () => {
    expect(problemsAfter((d) => (d.org.approval.jwt = { issuer: "http://login.example.com", audience: [] }))).toEqual([
      'org.approval.jwt.issuer: "http://login.example.com" is not an https URL (e.g. "https://login.example.com/oauth2/default")',
      "org.approval.jwt.audience: has 0 entries; at least 1 required",
    ]);
  });
});

describe("approval checks across fields", () => {
  it("rejects a reminder interval longer than a link is valid", () => {
    expect(problemsAfter((d) => (d.environments.prod.approval.reminderIntervalHours = 96))).toEqual([
      "prod.approval.reminderIntervalHours: 96 is longer than org.approval.linkValidityHours (72); a link would expire before the next reminder brings a new one",
    ]);
  });

  it("compares against the default link validity when the org sets none", () => {
    expect(
      problemsAfter((d) => {
        delete d.org.approval.linkValidityHours;
        d.environments.prod.approval.reminderIntervalHours = 73;
      }),
    ).toEqual([
      "prod.approval.reminderIntervalHours: 73 is longer than org.approval.linkValidityHours (72); a link would expire before the next reminder brings a new one",
    ]);
  });

  it("rejects an environment whose requests would reach nobody", () => {
    expect(
      problemsAfter((d) => {
        delete d.org.email;
        d.environments.dev.approval.approverEmails = [];
      }),
    ).toEqual([
      "dev.approval.approverEmails: is empty and org.email.senderAddress is not set, so nobody would receive approval requests; add approvers, or a sender address to mail instance owners",
    ]);
  });

  it("accepts an environment without approvers when owners can be mailed", () => {
    expect(problemsAfter((d) => (d.environments.dev.approval.approverEmails = []))).toEqual([]);
  });

  it("requires escalation subscribers while any environment has approval enabled", () => {
    expect(problemsAfter((d) => (d.org.approval.escalationEmails = []))).toEqual([
      "org.approval.escalationEmails: is empty, but approval is enabled in dev, preprod, prod; requests nobody answers would be escalated to no one",
    ]);
  });

  it("does not check environments whose approval is disabled", () => {
    expect(
      problemsAfter((d) => {
        d.org.approval.escalationEmails = [];
        for (const env of Object.values(d.environments)) Object.assign(env.approval, { enabled: false, reminderIntervalHours: 100 });
      }),
    ).toEqual([]);
  });
});
