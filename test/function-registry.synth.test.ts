import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { functionFolders, functionNames, functionRegistry, type FunctionName } from "../contracts/functions.js";
import { discoverHandlerFolders } from "../functions/build.js";
import { exampleWith } from "./support/config.js";
import { sourceFilesOf } from "./support/sdk-calls.js";
import { synthOrg } from "./support/synth.js";
import { bodiesOf } from "./support/terraform-json.js";

/**
 * contracts/functions.ts is the one list of functions: each has a folder, each folder an entry, and
 * the environment variables it declares are exactly what the function reads and what the stacks set.
 */
const reads = /(?:requiredEnv|optionalEnv|integerEnv)\("([A-Z0-9_]+)"|process\.env\.([A-Z0-9_]+)/g;
/** Set by the Lambda runtime itself, not by patchline. */
const runtimeVariables = new Set(["AWS_REGION"]);

const declared = (name: FunctionName) => [...functionRegistry[name].requiredEnvironment, ...functionRegistry[name].optionalEnvironment].sort();

describe("the function registry", () => {
  it("names every function folder, and only those", () => {
    expect(discoverHandlerFolders()).toEqual(Object.values(functionFolders).sort());
  });

  it.each(functionNames)("%s declares exactly the environment variables its code reads", async (name) => {
    const names = new Set<string>();
    for (const file of await sourceFilesOf(name)) for (const match of readFileSync(file, "utf8").matchAll(reads)) names.add(match[1] ?? match[2]!);
    expect([...names].filter((variable) => !runtimeVariables.has(variable)).sort()).toEqual(declared(name));
  });

  it("is what the stacks set: every required variable, optional ones only when their feature is configured", () => {
    const withEverything = exampleWith((d) => (d.org.approval.jwt = { issuer: "https://login.example.com", audience: ["patchline"] }));
    const withoutSender = exampleWith((d) => delete d.org.email);
    for (const input of [withEverything, withoutSender]) {
      const central = synthOrg({ input }).stacks.get("central")!.json;
      const deployed = new Map(
        bodiesOf(central, "aws_lambda_function").map((f) => [
          String(f.function_name).replace(/^patchline-/, ""),
          Object.keys((f.environment as { variables: object }).variables),
        ]),
      );
      expect([...deployed.keys()].sort()).toEqual(functionNames);
      for (const name of functionNames) {
        const variables = deployed.get(name)!.filter((variable) => variable !== "POWERTOOLS_SERVICE_NAME");
        expect(variables, name).toEqual(expect.arrayContaining([...functionRegistry[name].requiredEnvironment]));
        expect(declared(name), name).toEqual(expect.arrayContaining(variables));
      }
    }
    const senderless = synthOrg({ input: withoutSender }).stacks.get("central")!.json;
    expect(bodiesOf(senderless, "aws_lambda_function").some((f) => "SENDER_ADDRESS" in (f.environment as { variables: object }).variables)).toBe(false);
  });
});
