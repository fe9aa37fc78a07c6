import { describe, expect, it } from "vitest";
import { exampleWith, problemsAfter } from "../../test/support/config.js";
import { parseOrgConfig } from "./index.js";

const group = (name: string, account = "100000000001") => `arn:aws:quicksight:us-east-1:${account}:group/default/${name}`;
const qs = "org.compliance.quicksight";

describe("org.compliance.quicksight", () => {
  it("is off unless configured", () => {
    expect(parseOrgConfig(exampleWith((d) => delete d.org.compliance.quicksight)).org.compliance.quicksight).toBeUndefined();
  });

  it("takes authors and viewers, defaults to a direct query with QuickSight's own role", () => {
    const config = parseOrgConfig(exampleWith((d) => (d.org.compliance.quicksight = { viewers: [group("security")] })));
    expect(config.org.compliance.quicksight).toEqual({ authors: [], viewers: [group("security")], importMode: "DIRECT_QUERY" });
  });

  it("takes the example's SPICE import with its refresh time, and users with a role session in their name", () => {
    const user = "arn:aws:quicksight:eu-west-1:100000000001:user/default/AWSReservedSSO_Platform_0123abcd/jane@example.com";
    const config = parseOrgConfig(exampleWith((d) => d.org.compliance.quicksight.authors.push(user)));
    expect(config.org.compliance.quicksight).toMatchObject({
      authors: [group("patchline-platform-team"), user],
      importMode: "SPICE",
      refresh: { timeOfDay: "09:00", timeZone: "Europe/Berlin" },
    });
  });

  it.each([
    ["a namespace", "arn:aws:quicksight:us-east-1:100000000001:namespace/default"],
    ["an IAM role", "arn:aws:iam::100000000001:role/platform"],
    ["a group without namespace", "arn:aws:quicksight:us-east-1:100000000001:group/platform"],
    ["a group name with a slash", "arn:aws:quicksight:us-east-1:100000000001:group/default/platform/team"],
    ["an unknown region", "arn:aws:quicksight:us-north-9:100000000001:group/default/platform"],
  ])("rejects %s as principal, saying what a principal is", (_what, arn) => {
    expect(problemsAfter((d) => (d.org.compliance.quicksight.viewers = [arn]))).toEqual([
      `${qs}.viewers[0]: ${JSON.stringify(arn)} is not a QuickSight user or group ARN (arn:aws:quicksight:<region>:<12-digit account id>:user/<namespace>/<name> or …:group/<namespace>/<name>)`,
    ]);
  });

  it("rejects principals and a service role of another account than the central one", () => {
    expect(
      problemsAfter((d) => {
        d.org.compliance.quicksight.authors = [group("platform", "200000000002")];
        d.org.compliance.quicksight.serviceRoleArn = "arn:aws:iam::200000000002:role/service-role/aws-quicksight-service-role-v0";
      }),
    ).toEqual([
      `${qs}.authors[0]: "${group("platform", "200000000002")}" is in account 200000000002; the dashboard is shared with QuickSight users of the central account (100000000001) only`,
      `${qs}.serviceRoleArn: "arn:aws:iam::200000000002:role/service-role/aws-quicksight-service-role-v0" is a role of account 200000000002; QuickSight runs in the central account (100000000001), so its role is one of that account`,
    ]);
  });

  it("compares no account with a central account id that is itself invalid: that field's own problem says it once", () => {
    expect(problemsAfter((d) => (d.org.central.accountId = "10000000000a"))).toEqual([
      'org.central.accountId: "10000000000a" is not a 12-digit AWS account id',
    ]);
  });

  it("rejects a service role that is not a role ARN", () => {
    expect(problemsAfter((d) => (d.org.compliance.quicksight.serviceRoleArn = "aws-quicksight-service-role-v0"))).toEqual([
      `${qs}.serviceRoleArn: "aws-quicksight-service-role-v0" is not an IAM role ARN (arn:aws:iam::<12-digit account id>:role/<optional path/><name>)`,
    ]);
  });

  it("needs someone to show the dashboard to", () => {
    expect(problemsAfter((d) => (d.org.compliance.quicksight = { authors: [], viewers: [] }))).toEqual([
      `${qs}: names no QuickSight principal; list at least one user or group in authors or viewers, or leave quicksight out`,
    ]);
  });

  it("rejects a principal listed twice, and one that is both author and viewer", () => {
    expect(
      problemsAfter((d) => {
        d.org.compliance.quicksight.authors = [group("platform"), group("platform")];
        d.org.compliance.quicksight.viewers = [group("security"), group("platform")];
      }),
    ).toEqual([
      `${qs}.authors[1]: "${group("platform")}" is listed twice in authors`,
      `${qs}.viewers[1]: "${group("platform")}" is an author already (authors see the dashboard too); list it once`,
    ]);
  });

  it("needs a refresh time with SPICE, and none with a direct query", () => {
    expect(problemsAfter((d) => delete d.org.compliance.quicksight.refresh)).toEqual([
      `${qs}.refresh: is required with importMode "SPICE": the time of day the data sets are refreshed, e.g. { timeOfDay: "09:00", timeZone: "UTC" }`,
    ]);
    expect(problemsAfter((d) => (d.org.compliance.quicksight.importMode = "DIRECT_QUERY"))).toEqual([
      `${qs}.refresh: applies to importMode "SPICE" only; a direct query reads Athena on every view, so leave refresh out`,
    ]);
  });

  it("checks the import mode, the refresh time and its time zone", () => {
    expect(
      problemsAfter((d) => {
        d.org.compliance.quicksight.importMode = "IMPORT";
        d.org.compliance.quicksight.refresh = { timeOfDay: "9:00", timeZone: "CEST" };
      }),
    ).toEqual([
      `${qs}.importMode: "IMPORT" is not allowed; allowed: "DIRECT_QUERY", "SPICE"`,
      `${qs}.refresh.timeOfDay: "9:00" is not a time of day (HH:MM, 24-hour, e.g. "09:30")`,
      `${qs}.refresh.timeZone: "CEST" is not an IANA time zone (e.g. "America/Chicago", "Europe/Berlin", "UTC")`,
    ]);
  });

  it("rejects unknown fields", () => {
    expect(problemsAfter((d) => (d.org.compliance.quicksight.principals = [group("platform")]))).toEqual([`${qs}: unknown field "principals"`]);
  });
});
