import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { memberClients } from "./member-session.js";

const sts = mockClient(STSClient);
const access = () => ({ roleName: "patchline-approval-access", sts: new STSClient({ region: "us-east-1" }), sessionName: "patchline-approval-patch" });
const credentials = (expiresInMs: number) => ({
  AccessKeyId: "AKIA",
  SecretAccessKey: "secret",
  SessionToken: "session",
  Expiration: new Date(Date.now() + expiresInMs),
});

beforeEach(() => sts.reset());

describe("memberClients", () => {
  it("assumes the member account's approval access role and hands its credentials to a client in the requested region", async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: credentials(900_000) });
    const created: { region: string; credentials: () => Promise<unknown> }[] = [];
    const clientFor = memberClients(access(), (config) => {
      created.push(config);
      return config;
    });
    clientFor("400000000002", "eu-west-1");
    expect(created[0]!.region).toBe("eu-west-1");
    await expect(created[0]!.credentials()).resolves.toMatchObject({ accessKeyId: "AKIA", sessionToken: "session" });
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: "arn:aws:iam::400000000002:role/patchline-approval-access",
      RoleSessionName: "patchline-approval-patch",
      DurationSeconds: 900,
    });
  });

  it("reuses a client per account and region, and the session until shortly before it expires", async () => {
    sts
      .on(AssumeRoleCommand)
      .resolvesOnce({ Credentials: credentials(900_000) })
      .resolves({ Credentials: credentials(60_000) });
    const clientFor = memberClients(access(), (config) => config);
    const a = clientFor("400000000002", "eu-west-1");
    expect(clientFor("400000000002", "eu-west-1")).toBe(a);
    await a.credentials();
    await clientFor("400000000002", "us-east-1").credentials();
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    await clientFor("400000000003", "us-east-1").credentials();
    await clientFor("400000000003", "us-east-1").credentials();
    // the second account's session expires within 5 minutes: renewed on each use
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 3);
  });

  it("refuses to build a role ARN from anything but an account id", () => {
    const clientFor = memberClients(access(), (config) => config);
    expect(() => clientFor("40000000000*", "eu-west-1")).toThrow('not an AWS account id: "40000000000*"');
  });

  it("surfaces STS throttling as TransientAwsError", async () => {
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "Throttling", $metadata: {} }));
    await expect(memberClients(access(), (config) => config)("400000000002", "eu-west-1").credentials()).rejects.toMatchObject({ name: "TransientAwsError" });
  });
});
