import { describe, expect, it } from "vitest";
import { nextCheckSeconds } from "./polling.js";
import { fill } from "./template.js";

describe("fill", () => {
  it("puts each value in its placeholder", () => {
    expect(fill("run-command/{environment}/{account}/{region}", { environment: "prod", account: "400000000002", region: "eu-west-1" })).toBe(
      "run-command/prod/400000000002/eu-west-1",
    );
  });

  it("throws for a placeholder without a value, naming it", () => {
    expect(() => fill("run-command/{environment}/{acount}", { environment: "prod", account: "400000000002" })).toThrow(
      'template "run-command/{environment}/{acount}" has {acount}, which is not one of environment, account',
    );
  });
});

describe("nextCheckSeconds", () => {
  it("backs off from a minute to every five", () => {
    expect([0, 1, 2, 3, 9].map(nextCheckSeconds)).toEqual([60, 120, 240, 300, 300]);
  });
});
