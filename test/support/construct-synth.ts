import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing, TerraformStack } from "cdktf";
import { exampleOrganization } from "../fixtures/organizations/example/index.js";
import { parseOrgConfig, type OrgConfig } from "../../environments/schema/index.js";
import { Naming } from "../../stacks/naming.js";
import type { TerraformJson } from "./terraform-json.js";

/** Synthesizes whatever `build` adds to a fresh stack with one us-east-1 provider, as Terraform JSON. */
export function synthConstruct(build: (stack: TerraformStack, provider: AwsProvider) => void): TerraformJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const provider = new AwsProvider(stack, "aws", { region: "us-east-1" });
  build(stack, provider);
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

export const exampleConfig: OrgConfig = parseOrgConfig(exampleOrganization);
export const exampleNaming = new Naming(exampleConfig.org);

export function environmentNamed(name: string): OrgConfig["environments"][number] {
  const env = exampleConfig.environments.find((e) => e.name === name);
  if (!env) throw new Error(`no environment ${name} in the example org`);
  return env;
}
