import { describe, expect, it } from "vitest";
import { parseOrgConfig, type OrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { Naming } from "../naming.js";
import { checkApproverFilterPolicies, checkChannelRoles, checkLogBucketPolicy } from "./central.js";
import { problemLine, type LimitProblem } from "./growth.js";

type Check = (config: OrgConfig, naming: Naming) => LimitProblem[];
const linesOf = (check: Check, input: OrgConfigInput): string[] => {
  const config = parseOrgConfig(input);
  return check(config, new Naming(config.org)).map(problemLine);
};

/** The example organization with `count` more environments (copies of prod, one account each) after prod. */
const withEnvironments = (count: number, approver?: string) =>
  exampleWith((d) => {
    for (let i = 1; i <= count; i++) {
      const name = `e${String(i).padStart(3, "0")}`;
      d.environments[name] = { ...structuredClone(d.environments.prod), accounts: [{ name: `${name}-app`, id: String(600_000_000_000 + i) }] };
      delete d.environments[name].minDaysAfterPrevious;
      // one account is no canary: the copies patch without prod's waves
      delete d.environments[name].waves;
      if (approver) d.environments[name].approval.approverEmails = [approver];
      d.org.promotionOrder.push(name);
    }
  });

// Sizes are those of the example organization's shape (generatedOrganization: dev, preprod, prod, two regions).
describe("central limits", () => {
  it("the central log bucket policy: 205 environments fit S3's 20 KB, the 206th does not", () => {
    expect(linesOf(checkLogBucketPolicy, withEnvironments(202))).toEqual([]);
    expect(linesOf(checkLogBucketPolicy, withEnvironments(203))).toEqual([
      "e203: is the 206th of 206 environments: the central log bucket policy has a run-command prefix per environment and would be 20,534 bytes, above S3's 20,480-byte (20 KB) limit per bucket policy; 205 environments fit: merge environments",
    ]);
  });

  it("an approver's filter policy: 150 environments fit SNS's 150 values, the 151st does not", () => {
    const check = (config: OrgConfig) => checkApproverFilterPolicies(config);
    expect(linesOf(check, withEnvironments(149, "prod-change-board@example.com"))).toEqual([]);
    expect(linesOf(check, withEnvironments(150, "prod-change-board@example.com"))).toEqual([
      'e150.approval.approverEmails[0]: "prod-change-board@example.com" approves in 151 environments; its subscription to the approvals topic filters on them and SNS allows 150 values per filter policy: give the 151st and later environments another approver address',
    ]);
  });

  it("the channel roles: 99 channels fit IAM's 10,240 characters per role, the 100th does not", () => {
    const channels = (count: number) =>
      exampleWith((d) => Array.from({ length: count }, (_, i) => (d.org.channels[`team-${String(i + 1).padStart(3, "0")}`] = { type: "slack" })));
    expect(linesOf(checkChannelRoles, channels(95))).toEqual([]);
    expect(linesOf(checkChannelRoles, channels(96))).toEqual([
      "org.channels.team-096: is the 100th of 100 channels: the roles of the functions that send through channels (patch notices, failure notifications, digest) list every channel's secret or topic, and the largest role policy would be about 10,287 characters, above IAM's 10,240 per role (white space not counted); 99 channels fit: remove channels nothing uses, or shorten channel names",
    ]);
  });
});
