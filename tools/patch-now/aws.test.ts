import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { requestProblems } from "../../test/support/api-model.js";
import { patchNowAws } from "./aws.js";

const sfn = mockClient(SFNClient);
const sts = mockClient(STSClient);
const MACHINE = "arn:aws:states:us-east-1:100000000001:stateMachine:patchline-emergency-patch";

beforeEach(() => {
  sfn.reset();
  sts.reset();
});

describe("what npm run patch-now asks of AWS", () => {
  it("lists the executions of every status page by page", async () => {
    sfn
      .on(ListExecutionsCommand)
      .resolvesOnce({ executions: [{ name: "prod-20270304T07Z-1", status: "RUNNING" } as never], nextToken: "t" })
      .resolvesOnce({ executions: [{ name: "dev-20270304T07Z-1", status: "FAILED" } as never] });
    await expect(patchNowAws("us-east-1").executions(MACHINE)).resolves.toEqual([
      { name: "prod-20270304T07Z-1", status: "RUNNING" },
      { name: "dev-20270304T07Z-1", status: "FAILED" },
    ]);
    const requests = sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input);
    expect(requests).toHaveLength(2);
    // the paginator hands the same input object to each call: the second page's token is what it carries
    for (const input of requests) expect(input).toMatchObject({ stateMachineArn: MACHINE, maxResults: 100 });
    for (const input of requests) expect(input).not.toHaveProperty("statusFilter");
    expect(requests[1]).toMatchObject({ nextToken: "t" });
    for (const input of requests) expect(requestProblems("states", "ListExecutions", input)).toEqual([]);
  });

  it("starts the execution with its name and the plan, and names the caller", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${MACHINE.replace(":stateMachine:", ":execution:")}:prod-1`, startDate: new Date() });
    sts.on(GetCallerIdentityCommand).resolves({ Arn: "arn:aws:sts::100000000001:assumed-role/platform-oncall/alice" });
    const aws = patchNowAws("us-east-1");
    await expect(aws.startExecution(MACHINE, "prod-1", '{"version":1}')).resolves.toEqual({
      executionArn: "arn:aws:states:us-east-1:100000000001:execution:patchline-emergency-patch:prod-1",
    });
    const input = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(input).toEqual({ stateMachineArn: MACHINE, name: "prod-1", input: '{"version":1}' });
    expect(requestProblems("states", "StartExecution", input)).toEqual([]);
    await expect(aws.callerArn()).resolves.toBe("arn:aws:sts::100000000001:assumed-role/platform-oncall/alice");
  });

  it("throws rather than make up the caller or the execution's ARN", async () => {
    sfn.on(StartExecutionCommand).resolves({ startDate: new Date() } as never);
    sts.on(GetCallerIdentityCommand).resolves({ Account: "100000000001" });
    const aws = patchNowAws("us-east-1");
    await expect(aws.startExecution(MACHINE, "prod-1", "{}")).rejects.toThrow("states StartExecution of prod-1 returned no executionArn");
    await expect(aws.callerArn()).rejects.toThrow("sts GetCallerIdentity returned no Arn");
  });
});
