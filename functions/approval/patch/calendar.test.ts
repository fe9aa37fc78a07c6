import { GetCalendarStateCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { recordingLog } from "../../../test/support/approval-fakes.js";
import { requestProblems } from "../../../test/support/api-model.js";
import { checkCalendar, type CalendarDeps } from "./calendar.js";

const ssm = mockClient(SSMClient);
const clock = new Date("2026-12-20T10:00:00.000Z");
const deps: CalendarDeps = { ssm: (_account, region) => new SSMClient({ region }), now: () => clock, log: recordingLog() };
const input = (checks: number) => ({
  action: "checkCalendar" as const,
  account: "400000000002",
  region: "eu-west-1",
  instanceId: "i-0abc123def4567890",
  calendar: "patchline-change-freezes",
  checks,
});

beforeEach(() => ssm.reset());

describe("checkCalendar", () => {
  it("asks SSM for the calendar's state as the install runbook does, in a request AWS's model accepts", async () => {
    ssm.on(GetCalendarStateCommand).resolves({ State: "OPEN", AtTime: "2026-12-20T10:00:00Z", NextTransitionTime: "2027-12-18T00:00:00Z" });
    await expect(checkCalendar(input(0), deps)).resolves.toMatchObject({ state: "OPEN", checks: 1, mayWait: true });
    const request = ssm.commandCalls(GetCalendarStateCommand)[0]!.args[0].input;
    expect(request).toEqual({ CalendarNames: ["patchline-change-freezes"] });
    expect(requestProblems("ssm", "GetCalendarState", request)).toEqual([]);
  });

  it("while CLOSED, waits until a minute after the next transition (the freeze's end)", async () => {
    ssm.on(GetCalendarStateCommand).resolves({ State: "CLOSED", NextTransitionTime: "2026-12-23T00:00:00Z" });
    await expect(checkCalendar(input(0), deps)).resolves.toEqual({
      state: "CLOSED",
      nextTransitionTime: "2026-12-23T00:00:00Z",
      waitUntil: "2026-12-23T00:01:00.000Z",
      checks: 1,
      mayWait: true,
    });
  });

  it("at most a week at a time, and a week when SSM names no transition", async () => {
    ssm.on(GetCalendarStateCommand).resolves({ State: "CLOSED", NextTransitionTime: "2027-02-01T00:00:00Z" });
    expect((await checkCalendar(input(0), deps)).waitUntil).toBe("2026-12-27T10:00:00.000Z");
    ssm.on(GetCalendarStateCommand).resolves({ State: "CLOSED" });
    expect((await checkCalendar(input(0), deps)).waitUntil).toBe("2026-12-27T10:00:00.000Z");
  });

  it("stops waiting after ten waits", async () => {
    ssm.on(GetCalendarStateCommand).resolves({ State: "CLOSED", NextTransitionTime: "2026-12-23T00:00:00Z" });
    expect((await checkCalendar(input(9), deps)).mayWait).toBe(true);
    expect(await checkCalendar(input(10), deps)).toMatchObject({ checks: 11, mayWait: false });
  });

  it("a state SSM does not call OPEN counts as closed: nothing is patched on a doubt", async () => {
    ssm.on(GetCalendarStateCommand).resolves({});
    expect((await checkCalendar(input(0), deps)).state).toBe("CLOSED");
  });

  it("a throttled SSM surfaces as the transient error the state machine retries", async () => {
    ssm.on(GetCalendarStateCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: {} }));
    await expect(checkCalendar(input(0), deps)).rejects.toMatchObject({ name: "TransientAwsError" });
  });
});
