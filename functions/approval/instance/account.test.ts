import { describe, expect, it } from "vitest";
import { parseFleetCatalog } from "../../../contracts/fleet-catalog.js";
import { exampleConfig, exampleNaming } from "../../../test/support/construct-synth.js";
import { fleetCatalog } from "../../../stacks/compliance/fleet-catalog.js";
import { parseInput } from "../../shared/input.js";
import { AccountNotConfigured, resolveAccount, resolveAccountInput } from "./account.js";

// the catalog as the function reads it: written by the central stack, parsed by the contract
const catalog = parseFleetCatalog(JSON.parse(JSON.stringify(fleetCatalog(exampleConfig, exampleNaming))));
const resolve = (account: string, region: string) => resolveAccount({ action: "resolveAccount", account, region }, catalog);

describe("resolveAccount", () => {
  it("names the environment of a member account in one of its regions", () => {
    expect(resolve("400000000002", "eu-west-1")).toEqual({ environment: "prod" });
    expect(resolve("200000000001", "us-east-1")).toEqual({ environment: "dev" });
  });

  it("refuses a member account in a region it is not configured in, naming its regions", () => {
    expect(() => resolve("200000000001", "eu-west-1")).toThrow(AccountNotConfigured);
    expect(() => resolve("200000000001", "eu-west-1")).toThrow("account 200000000001 (dev) is not configured in eu-west-1; its regions are us-east-1");
  });

  it("refuses an account of no environment with the error name the state machine catches", () => {
    const refusal = (() => {
      try {
        resolve("999999999999", "us-east-1");
      } catch (error) {
        return error as Error;
      }
    })();
    expect(refusal).toMatchObject({ name: "AccountNotConfigured", message: "account 999999999999 is no member account of a configured environment" });
  });

  it.each([
    [{ action: "resolveAccount", account: "4000000000", region: "eu-west-1" }, "account: does not match"],
    [{ action: "resolveAccount", account: "400000000002", region: "Europe" }, "region: does not match"],
    [{ action: "resolveAccount", account: "400000000002" }, "region: expected string"],
  ])("refuses input the state machine would never send: %j", (input, problem) => {
    expect(() => parseInput(resolveAccountInput, input)).toThrow(problem);
  });
});
