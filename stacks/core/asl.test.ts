import { describe, expect, it } from "vitest";
import { executeLocally, taskError } from "../../test/support/local-state-machine.js";
import { assertValidDefinition, sdkTask, type StateMachineDefinition } from "./asl.js";
import { retryTransient } from "./retry.js";

/** A small cross-account lookup with the shared retry policy, as the workflows build them. */
const lookup: StateMachineDefinition = {
  StartAt: "DescribeInstance",
  States: {
    DescribeInstance: {
      Type: "Task",
      Resource: sdkTask("ec2", "describeInstances"),
      Credentials: { "RoleArn.$": "States.Format('arn:aws:iam::{}:role/patchline-approval-access', $.account)" },
      Parameters: { "InstanceIds.$": "States.Array($.instanceId)" },
      ResultPath: "$.described",
      TimeoutSeconds: 30,
      Retry: [retryTransient("ec2")],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "LookupFailed" }],
      Next: "Done",
    },
    LookupFailed: { Type: "Fail", Error: "LookupFailed", Cause: "the instance could not be described" },
    Done: { Type: "Succeed" },
  },
};

describe("assertValidDefinition", () => {
  it("accepts a valid definition and leaves it unchanged", () => {
    const copy = structuredClone(lookup);
    expect(() => assertValidDefinition("lookup", lookup)).not.toThrow();
    expect(lookup).toEqual(copy);
  });

  it("names the state machine and the problem of an invalid definition", () => {
    const broken = { ...lookup, States: { ...lookup.States, Done: { Type: "Pass", Next: "Nowhere" } } } as StateMachineDefinition;
    expect(() => assertValidDefinition("lookup", broken)).toThrow(/^state machine lookup: .*Nowhere/s);
  });
});

describe("retryTransient", () => {
  it("backs off exponentially with full jitter, bounded in attempts and delay", () => {
    expect(retryTransient("ssm")).toEqual({
      ErrorEquals: ["Ssm.ThrottlingException", "Ssm.InternalServerErrorException", "Ssm.SsmException"],
      IntervalSeconds: 2,
      MaxAttempts: 6,
      BackoffRate: 2,
      MaxDelaySeconds: 60,
      JitterStrategy: "FULL",
    });
  });
});

describe("executeLocally", () => {
  it("retries a throttled call and then succeeds, recording the path and the calls", async () => {
    const run = await executeLocally(
      lookup,
      { account: "400000000002", instanceId: "i-0abc" },
      {
        tasks: {
          DescribeInstance: (_input, call) => {
            if (call === 1) throw taskError("Ec2.Ec2Exception", "Request limit exceeded.");
            return { Reservations: [] };
          },
        },
      },
    );
    expect(run.status).toBe("SUCCEEDED");
    expect(run.retried).toEqual(["DescribeInstance"]);
    expect(run.calls.get("DescribeInstance")).toEqual([{ InstanceIds: ["i-0abc"] }, { InstanceIds: ["i-0abc"] }]);
    expect(run.output).toEqual({ account: "400000000002", instanceId: "i-0abc", described: { Reservations: [] } });
  });

  it("reports the failure state's error when the catch path ends in a Fail state", async () => {
    const run = await executeLocally(
      lookup,
      { account: "400000000002", instanceId: "i-0abc" },
      {
        tasks: { DescribeInstance: () => Promise.reject(taskError("Ec2.UnauthorizedOperation")) },
      },
    );
    expect(run).toMatchObject({ status: "FAILED", error: "LookupFailed", path: ["DescribeInstance", "LookupFailed"] });
  });

  it("refuses to reach a Task state the test gave no handler", async () => {
    await expect(executeLocally(lookup, { account: "400000000002", instanceId: "i-0abc" }, { tasks: {} })).rejects.toThrow(
      /"DescribeInstance", which has no local handler/,
    );
  });
});
