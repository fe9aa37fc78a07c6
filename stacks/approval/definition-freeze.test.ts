import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { called, complianceEvent, definitionFor, recordedOutcome, run } from "../../test/support/approval-workflow-run.js";
import { exampleWith } from "../../test/support/config.js";
import { taskError } from "../../test/support/local-state-machine.js";

/** Change freezes in the approval workflow: the patch step reads the change calendar first, every branch run locally. */

const closed = (call: number, mayWait = true) => ({
  state: "CLOSED",
  nextTransitionTime: "2027-01-04T00:00:00Z",
  waitUntil: "2027-01-04T00:01:00.000Z",
  checks: call,
  mayWait,
});
const open = (call: number) => ({ state: "OPEN", waitUntil: "2027-01-04T00:01:00.000Z", checks: call, mayWait: true });
const devEvent = complianceEvent({ account: "200000000002", region: "us-east-1" });

describe("the approval workflow during a change freeze", () => {
  it("reads the calendar after the decision, before the backup and the patch command", async () => {
    const execution = await run(complianceEvent());
    expect(called(execution, "CheckChangeCalendar")).toEqual([
      {
        action: "checkCalendar",
        account: "400000000002",
        region: "eu-west-1",
        instanceId: "i-0abc123def4567890",
        calendar: "patchline-change-freezes",
        checks: 0,
      },
    ]);
    const at = (state: string) => execution.path.indexOf(state);
    expect(at("CheckDecision")).toBeLessThan(at("CheckChangeCalendar"));
    expect(at("CheckChangeCalendar")).toBeLessThan(at("CreateBackup"));
    expect(recordedOutcome(execution)).toEqual({ status: "patched" });
  });

  it('duringFreeze "wait" (the default): waits until the calendar opens, checks again, then backs up and patches', async () => {
    const execution = await run(complianceEvent(), { CheckChangeCalendar: (_input, call) => (call < 3 ? closed(call) : open(call)) });
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.path.filter((s) => ["CheckChangeCalendar", "IsCalendarOpen", "WaitForFreezeToEnd"].includes(s))).toEqual([
      "CheckChangeCalendar",
      "IsCalendarOpen",
      "WaitForFreezeToEnd",
      "CheckChangeCalendar",
      "IsCalendarOpen",
      "WaitForFreezeToEnd",
      "CheckChangeCalendar",
      "IsCalendarOpen",
    ]);
    // each check carries the count so far: the patch function bounds the waiting
    expect((called(execution, "CheckChangeCalendar") as { checks: number }[]).map((c) => c.checks)).toEqual([0, 1, 2]);
    expect(called(execution, "CreateBackup")).toHaveLength(1);
    expect(recordedOutcome(execution)).toEqual({ status: "patched" });
  });

  it('"wait" until the patch function says no more: recorded "frozen", nothing backed up or patched, the run succeeds', async () => {
    const execution = await run(complianceEvent(), { CheckChangeCalendar: (_input, call) => closed(call, call < 2) });
    expect(execution.status).toBe("SUCCEEDED");
    expect(called(execution, "CheckChangeCalendar")).toHaveLength(2);
    expect(execution.path.slice(execution.path.lastIndexOf("IsCalendarOpen"))).toEqual(["IsCalendarOpen", "Frozen", "RecordOutcome", "Finished", "Done"]);
    expect(recordedOutcome(execution)).toEqual({ status: "frozen" });
    const { state } = called(execution, "RecordOutcome")[0] as { state: { freeze: unknown } };
    expect(state.freeze).toMatchObject({ state: "CLOSED", nextTransitionTime: "2027-01-04T00:00:00Z", checks: 2 });
    for (const state of ["CreateBackup", "SendPatchCommand"]) expect(called(execution, state), state).toEqual([]);
  });

  it('duringFreeze "end": no wait, recorded "frozen" at the first closed calendar', async () => {
    const config = parseOrgConfig(exampleWith((d) => (d.environments.prod.approval.duringFreeze = "end")));
    const execution = await run(complianceEvent(), { CheckChangeCalendar: (_input, call) => closed(call) }, definitionFor(config));
    expect(execution.path).not.toContain("WaitForFreezeToEnd");
    expect(called(execution, "CheckChangeCalendar")).toHaveLength(1);
    expect(recordedOutcome(execution)).toEqual({ status: "frozen" });
    expect(called(execution, "SendPatchCommand")).toEqual([]);
  });

  it("the calendar cannot be read: recorded as an error of that step, nothing patched, the run fails", async () => {
    const execution = await run(devEvent, {
      CheckChangeCalendar: () => Promise.reject(taskError("AccessDeniedException", "not authorized to perform ssm:GetCalendarState")),
    });
    expect(execution).toMatchObject({ status: "FAILED", error: "PatchingNotCompleted" });
    expect(recordedOutcome(execution)).toEqual({ status: "error", step: "read the change calendar" });
    expect(called(execution, "SendPatchCommand")).toEqual([]);
  });

  it("an environment without freezes has no calendar: the workflow patches without asking for one", async () => {
    const config = parseOrgConfig(exampleWith((d) => (d.org.freezes = [])));
    const execution = await run(devEvent, {}, definitionFor(config));
    expect(execution.path).toEqual(expect.arrayContaining(["FreezeCheckWanted", "BackupWanted", "SendPatchCommand", "Patched"]));
    expect(called(execution, "CheckChangeCalendar")).toEqual([]);
  });

  it("an environment's own freezes give it a calendar too", async () => {
    const config = parseOrgConfig(
      exampleWith((d) => {
        d.org.freezes = [];
        d.environments.dev.freezes = [{ start: "2027-03-01", end: "2027-03-02", timeZone: "UTC", reason: "launch" }];
      }),
    );
    const execution = await run(devEvent, { CheckChangeCalendar: (_input, call) => closed(call, false) }, definitionFor(config));
    expect(recordedOutcome(execution)).toEqual({ status: "frozen" });
  });
});
