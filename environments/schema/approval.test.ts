import { describe, expect, it } from "vitest";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { parseOrgConfig } from "./index.js";
import { problemsAfter } from "../../test/support/config.js";

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
