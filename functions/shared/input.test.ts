import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import { parseInput } from "./input.js";

const schema = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("send"),
    account: z.string().check(z.regex(/^\d{12}$/)),
    minutes: z.int().check(z.positive()),
    reboot: z.enum(["RebootIfNeeded", "NoReboot"]),
  }),
  z.object({ action: z.literal("check"), checks: z.int().check(z.nonnegative()) }),
]);

describe("parseInput", () => {
  it("returns what the schema accepts", () => {
    expect(parseInput(schema, { action: "check", checks: 0 })).toEqual({ action: "check", checks: 0 });
  });

  it("names every problem by its path and says what was expected", () => {
    expect(() => parseInput(schema, { action: "send", account: "1", minutes: 0, reboot: "Always" })).toThrow(
      'account: does not match /^\\d{12}$/; minutes: must be above 0; reboot: expected one of "RebootIfNeeded", "NoReboot"',
    );
    expect(() => parseInput(schema, { action: "check", checks: -1 })).toThrow("checks: must be at least 0");
    expect(() => parseInput(schema, { action: "check" })).toThrow("checks: expected number");
  });

  it("names fields the schema does not know", () => {
    expect(() => parseInput(z.strictObject({ runId: z.string() }), { runId: "r", target: {}, extra: 1 })).toThrow('(input): unknown fields "target", "extra"');
  });

  it("is an InvalidInput, which the state machine does not retry", () => {
    expect(() => parseInput(schema, null)).toThrow(expect.objectContaining({ name: "InvalidInput" }));
  });
});
