import { describe, expect, it } from "vitest";
import { findingsFor, okResult, targetOf } from "../../../test/support/compliance-fixtures.js";
import { buildReport } from "../shared/report.js";
import { DIGEST_LIST_LINES, digestDocument, digestSections } from "./digest.js";

const run = { runId: "r", startedAt: "2027-01-11T07:00:00Z", generatedAt: "2027-01-11T07:05:00Z", warnings: [] };
const options = { instanceLimit: 50, reportLink: { label: "Open the report", url: "https://console.example/r" }, reportPath: "s3://reports/r/report.html" };
const web = targetOf("prod", "400000000002", "web-prod", "eu-west-1");

/** Three findings: an owner in the domain, one outside it, one that is no address. */
function findings() {
  const [ok, outside, name] = findingsFor(web, 3);
  return [
    { ...ok!, owner: "web@example.com" },
    { ...outside!, owner: "mallory@evil.example" },
    { ...name!, owner: "Team Web" },
  ];
}

describe("invalid owners", () => {
  it("are the findings whose owner tag owner mail would not reach, with instance, account and region, in the digest's own section", () => {
    const [, outside, name] = findings();
    const report = buildReport(run, [okResult(web, findings(), 10)], ["prod"], undefined, ["example.com"]);
    expect(report.invalidOwners).toEqual({
      total: 2,
      instances: [
        {
          environment: "prod",
          accountId: "400000000002",
          accountName: "web-prod",
          region: "eu-west-1",
          instanceId: outside!.instanceId,
          owner: "mallory@evil.example",
          reason: "evil.example is not an owner domain",
        },
        {
          environment: "prod",
          accountId: "400000000002",
          accountName: "web-prod",
          region: "eu-west-1",
          instanceId: name!.instanceId,
          owner: "Team Web",
          reason: "not a single e-mail address",
        },
      ],
    });
    const lines = digestDocument(report, options)
      .lines.filter((l) => l.section === digestSections.invalidOwners)
      .map((l) => l.text);
    expect(lines).toEqual([
      `${outside!.instanceId} · prod / web-prod (400000000002) / eu-west-1 · owner "mallory@evil.example": evil.example is not an owner domain`,
      `${name!.instanceId} · prod / web-prod (400000000002) / eu-west-1 · owner "Team Web": not a single e-mail address`,
    ]);
  });

  it("are not looked for when owner mail is off (no owner domains): no section", () => {
    const report = buildReport(run, [okResult(web, findings(), 10)], ["prod"]);
    expect(report.invalidOwners).toBeUndefined();
    expect(digestDocument(report, options).lines.some((l) => l.section === digestSections.invalidOwners)).toBe(false);
  });

  it("beyond the digest's list lines are counted in one line pointing to the report", () => {
    const many = findingsFor(web, DIGEST_LIST_LINES + 5).map((f) => ({ ...f, owner: "someone@elsewhere.example" }));
    const report = buildReport(run, [okResult(web, many, 100)], ["prod"], undefined, ["example.com"]);
    const lines = digestDocument(report, options).lines.filter((l) => l.section === digestSections.invalidOwners);
    expect(lines).toHaveLength(DIGEST_LIST_LINES + 1);
    expect(lines.at(-1)!.text).toBe("… and 5 more instances with invalid owners in the report (s3://reports/r/report.html)");
  });
});
