import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { requestProblems } from "../../test/support/api-model.js";
import { assumeRestoreRole } from "./aws.js";

const sts = mockClient(STSClient);
const ROLE = "arn:aws:iam::400000000002:role/patchline-restore-operator";
const session = (key: string, expiration: Date) => ({
  Credentials: { AccessKeyId: key, SecretAccessKey: "secret", SessionToken: `token-${key}`, Expiration: expiration },
});

beforeEach(() => {
  sts.reset();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2027-01-06T10:00:00Z"));
});
afterEach(() => vi.useRealTimers());

describe("the restore operator role's session (npm run restore)", () => {
  it("assumes the role at once, and renews the session before it ends: following a restore may outlast one hour", async () => {
    sts
      .on(AssumeRoleCommand)
      .resolvesOnce(session("AKIAFIRST", new Date("2027-01-06T11:00:00Z")))
      .resolvesOnce(session("AKIASECOND", new Date("2027-01-06T12:00:00Z")));
    const clients = await assumeRestoreRole(ROLE, "eu-west-1", "patchline-restore-i-0abc123def4567890");
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    const input = sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input;
    expect(input).toEqual({ RoleArn: ROLE, RoleSessionName: "patchline-restore-i-0abc123def4567890", DurationSeconds: 3600 });
    expect(requestProblems("sts", "AssumeRole", input)).toEqual([]);

    const credentials = clients.ssm.config.credentials;
    await expect(credentials()).resolves.toMatchObject({ accessKeyId: "AKIAFIRST" });
    vi.setSystemTime(new Date("2027-01-06T10:50:00Z"));
    await expect(credentials()).resolves.toMatchObject({ accessKeyId: "AKIAFIRST" });
    // within five minutes of its end: a new session, for EC2's client as well
    vi.setSystemTime(new Date("2027-01-06T10:56:00Z"));
    await expect(credentials()).resolves.toMatchObject({ accessKeyId: "AKIASECOND", sessionToken: "token-AKIASECOND" });
    await expect(clients.ec2.config.credentials()).resolves.toMatchObject({ accessKeyId: "AKIASECOND" });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it("renews once for both clients asking at the same moment", async () => {
    sts
      .on(AssumeRoleCommand)
      .resolvesOnce(session("AKIAFIRST", new Date("2027-01-06T11:00:00Z")))
      .resolvesOnce(session("AKIASECOND", new Date("2027-01-06T12:00:00Z")));
    const clients = await assumeRestoreRole(ROLE, "eu-west-1", "s");
    vi.setSystemTime(new Date("2027-01-06T10:57:00Z"));
    const [ssm, ec2] = await Promise.all([clients.ssm.config.credentials(), clients.ec2.config.credentials()]);
    expect([ssm.accessKeyId, ec2.accessKeyId]).toEqual(["AKIASECOND", "AKIASECOND"]);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it("fails before anything starts when the role cannot be assumed", async () => {
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error("not authorized to perform sts:AssumeRole"), { name: "AccessDenied" }));
    await expect(assumeRestoreRole(ROLE, "eu-west-1", "s")).rejects.toThrow("not authorized to perform sts:AssumeRole");
  });
});
