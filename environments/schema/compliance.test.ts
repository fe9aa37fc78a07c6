import { describe, expect, it } from "vitest";
import { exampleWith, problemsAfter, problemsOf } from "../../test/support/config.js";
import { parseOrgConfig } from "./index.js";

describe("channels", () => {
  it("accepts Teams, Slack and e-mail channels", () => {
    expect(
      problemsAfter((d) => {
        Object.assign(d.org.channels, {
          "ops-teams": { type: "teams" },
          "ops-slack": { type: "slack" },
          "ops-mail": { type: "email", subscribers: ["ops@example.com"] },
        });
      }),
    ).toEqual([]);
  });

  it("rejects an unknown channel type", () => {
    expect(problemsAfter((d) => (d.org.channels["platform-teams"].type = "discord"))).toEqual([
      'org.channels.platform-teams.type: "discord" is not allowed; allowed: "teams", "slack", "email"',
    ]);
  });

  it("rejects a channel name that cannot name a secret or topic", () => {
    expect(problemsAfter((d) => (d.org.channels["Ops Channel"] = { type: "slack" }))).toEqual([
      'org.channels.Ops Channel: "Ops Channel" is not a valid channel name: 3-32 lowercase letters, digits and hyphens, starting with a letter',
    ]);
  });

  it("requires subscribers on an e-mail channel", () => {
    expect(problemsAfter((d) => (d.org.channels["patching-mail"].subscribers = []))).toEqual([
      'org.channels.patching-mail.subscribers: e-mail channel "patching-mail" has no subscribers; list at least one address',
    ]);
  });

  it("checks e-mail subscribers", () => {
    expect(problemsAfter((d) => (d.org.channels["patching-mail"].subscribers = ["ops(at)example.com"]))).toEqual([
      'org.channels.patching-mail.subscribers[0]: "ops(at)example.com" is not an e-mail address',
    ]);
  });

  it("rejects subscribers on a chat channel", () => {
    expect(problemsAfter((d) => (d.org.channels["security-slack"].subscribers = ["sec@example.com"]))).toEqual([
      'org.channels.security-slack.subscribers: only e-mail channels have subscribers; "security-slack" is a slack channel (its webhook URL goes into its secret)',
    ]);
  });

  it.each([
    ["digestChannels", "org.compliance.digestChannels[1]"],
    ["failureChannels", "org.compliance.failureChannels[1]"],
  ])("rejects an undefined channel in %s", (field, path) => {
    expect(problemsAfter((d) => (d.org.compliance[field] = ["platform-teams", "ops-pager"]))).toEqual([
      `${path}: "ops-pager" is not a channel in org.channels (defined: platform-teams, security-slack, app-teams-slack, patching-mail)`,
    ]);
  });

  it("rejects an undefined notice channel of an environment", () => {
    expect(problemsAfter((d) => (d.environments.prod.compliance.noticeChannels = ["web-team"]))).toEqual([
      'prod.compliance.noticeChannels[0]: "web-team" is not a channel in org.channels (defined: platform-teams, security-slack, app-teams-slack, patching-mail)',
    ]);
  });

  it("rejects a channel listed twice", () => {
    expect(problemsAfter((d) => (d.org.compliance.digestChannels = ["platform-teams", "platform-teams"]))).toEqual([
      'org.compliance.digestChannels[1]: "platform-teams" is listed twice in digestChannels',
    ]);
  });
});

describe("compliance run", () => {
  it("defaults everything when the organization leaves it out", () => {
    const config = parseOrgConfig(
      exampleWith((d) => {
        delete d.org.compliance;
        for (const env of Object.values(d.environments)) delete env.compliance;
      }),
    );
    expect(config.org.compliance).toEqual({
      schedule: { expression: "cron(0 7 ? * MON-FRI *)", timeZone: "UTC" },
      maxConcurrency: 50,
      toleratedFailurePercentage: 5,
      allClear: false,
      organizationalUnits: [],
      digestChannels: [],
      failureChannels: [],
      digestInstanceLimit: 200,
      reportRetentionDays: 400,
      evidenceRetentionDays: 400,
      trendRuns: 30,
      historyRetentionDays: 1095,
    });
    expect(config.environments[0]!.compliance).toEqual({ tagCompliance: false, noticeLeadHours: 24, noticeChannels: [] });
  });

  it("checks the schedule with the AWS cron rules", () => {
    expect(problemsAfter((d) => (d.org.compliance.schedule.expression = "cron(0 7 * * MON-FRI *)"))).toEqual([
      'org.compliance.schedule.expression: "cron(0 7 * * MON-FRI *)" is not a valid AWS cron expression: day-of-month and day-of-week cannot both be set; one of them must be "?"',
    ]);
  });

  it("checks the schedule's time zone", () => {
    expect(problemsAfter((d) => (d.org.compliance.schedule.timeZone = "CEST"))).toEqual([
      'org.compliance.schedule.timeZone: "CEST" is not an IANA time zone (e.g. "America/Chicago", "Europe/Berlin", "UTC")',
    ]);
  });

  it.each([0, 1001, 2.5])("rejects a concurrency of %s (1 to 1,000 child executions at once)", (value) => {
    expect(problemsAfter((d) => (d.org.compliance.maxConcurrency = value))).toEqual([
      `org.compliance.maxConcurrency: ${value} is not a concurrency: a whole number from 1 to 1000`,
    ]);
  });

  it.each([-1, 101, 0.5])("rejects a tolerated failure percentage of %s", (value) => {
    expect(problemsAfter((d) => (d.org.compliance.toleratedFailurePercentage = value))).toEqual([
      `org.compliance.toleratedFailurePercentage: ${value} is not a percentage: a whole number from 0 to 100`,
    ]);
  });

  it("rejects a digest instance limit of 0", () => {
    expect(problemsAfter((d) => (d.org.compliance.digestInstanceLimit = 0))).toEqual([
      "org.compliance.digestInstanceLimit: 0 is not a number of instances: a whole number from 1 to 2000",
    ]);
  });

  it.each([29, 3651, 90.5])("rejects an evidence retention of %s days (30 to 3,650: evidence is locked that long)", (value) => {
    expect(problemsAfter((d) => (d.org.compliance.evidenceRetentionDays = value))).toEqual([
      `org.compliance.evidenceRetentionDays: ${value} is not a retention in days: a whole number from 30 to 3650`,
    ]);
  });

  it("takes an evidence retention from 30 to 3,650 days", () => {
    // the example's prod keeps a promotion record valid for 35 days: its evidence must outlive that
    expect(
      problemsAfter((d) => {
        d.org.compliance.evidenceRetentionDays = 30;
        d.environments.prod.promotion.maxRecordAgeDays = 29;
      }),
    ).toEqual([]);
    expect(parseOrgConfig(exampleWith((d) => (d.org.compliance.evidenceRetentionDays = 3650))).org.compliance.evidenceRetentionDays).toBe(3650);
  });

  it("rejects an organizational unit id that is not one", () => {
    expect(problemsAfter((d) => (d.org.compliance.organizationalUnits[0].id = "r-ab12"))).toEqual([
      'org.compliance.organizationalUnits[0].id: "r-ab12" is not an organizational unit id (e.g. "ou-ab12-cd34ef56")',
    ]);
  });

  it("files an organizational unit's accounts under a configured environment only", () => {
    expect(problemsAfter((d) => (d.org.compliance.organizationalUnits[0].environment = "sandbox"))).toEqual([
      'org.compliance.organizationalUnits[0].environment: "sandbox" is not a configured environment (configured: dev, preprod, prod)',
    ]);
  });

  it("reports misspelt fields", () => {
    expect(problemsAfter((d) => (d.org.compliance.allclear = true))).toEqual(['org.compliance: unknown field "allclear"']);
  });
});

describe("environment compliance", () => {
  it.each([
    [-1, "-1 is not a lead time in hours: a whole number from 0 to 168"],
    [169, "169 is not a lead time in hours: a whole number from 0 to 168"],
  ])("bounds the notice lead time (%s)", (hours, message) => {
    expect(problemsAfter((d) => (d.environments.dev.compliance.noticeLeadHours = hours))).toEqual([`dev.compliance.noticeLeadHours: ${message}`]);
  });

  it("takes a boolean tag-compliance switch", () => {
    expect(problemsAfter((d) => (d.environments.dev.compliance.tagCompliance = "yes"))).toEqual(['dev.compliance.tagCompliance: "yes" is not a boolean']);
  });

  it("is valid in the example organization", () => {
    expect(problemsOf(exampleWith(() => undefined))).toEqual([]);
  });
});

describe("patch SLA", () => {
  const slaProblems = (sla: unknown) => problemsAfter((d) => (d.org.compliance.sla = sla));

  it("takes days per severity as Patch Manager spells them, Windows' and Linux's", () => {
    expect(slaProblems({ Critical: 14, Important: 30, Moderate: 60, Medium: 60, Low: 3650, Unspecified: 1 })).toEqual([]);
    expect(parseOrgConfig(exampleWith((d) => (d.org.compliance.sla = { Critical: 14 }))).org.compliance.sla).toEqual({ Critical: 14 });
  });

  it("is absent unless configured: no SLA", () => {
    expect(parseOrgConfig(exampleWith((d) => delete d.org.compliance.sla)).org.compliance.sla).toBeUndefined();
  });

  it("names a severity spelled in another case with Patch Manager's spelling", () => {
    expect(slaProblems({ critical: 14, IMPORTANT: 30 })).toEqual([
      'org.compliance.sla: unknown severities "critical" (Patch Manager spells it "Critical"), "IMPORTANT" (Patch Manager spells it "Important"); allowed: Critical, Important, Moderate, Medium, Low, Unspecified (Windows: Critical, Important, Moderate, Low, Unspecified; Linux: Critical, Important, Medium, Low)',
    ]);
  });

  it("rejects a severity Patch Manager does not report", () => {
    expect(slaProblems({ High: 7 })).toEqual([
      'org.compliance.sla: unknown severity "High"; allowed: Critical, Important, Moderate, Medium, Low, Unspecified (Windows: Critical, Important, Moderate, Low, Unspecified; Linux: Critical, Important, Medium, Low)',
    ]);
  });

  it.each([
    [0, "0 is not a number of days: a whole number from 1 to 3650"],
    [3651, "3651 is not a number of days: a whole number from 1 to 3650"],
    [7.5, "7.5 is not a number of days: a whole number from 1 to 3650"],
    ["14", '"14" is not a number'],
  ])("rejects %s days", (days, message) => {
    expect(slaProblems({ Critical: days })).toEqual([`org.compliance.sla.Critical: ${message}`]);
  });

  it("rejects an SLA that names no severity", () => {
    expect(slaProblems({})).toEqual([
      "org.compliance.sla: names no severity; give days for at least one of Critical, Important, Moderate, Medium, Low, Unspecified, or leave sla out for no SLA",
    ]);
  });
});
