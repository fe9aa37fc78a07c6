import { Lazy, TerraformStack, Tokenization } from "cdktf";
import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { loadFunctionArtifacts } from "../../functions/artifacts.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { differingFiles } from "../../test/support/synth.js";
import { StandaloneStack } from "../core/standalone-stack.js";
import { buildApp, stackNames, synthesizeInBatches } from "./app.js";
import { KEEP_TOKEN_TRACES, withoutTokenTraces } from "./lean-synth.js";
import { scratchFolders } from "../../test/support/scratch.js";

const { folder } = scratchFolders("patchline-lean-synth-");
const creationStack = () => (Tokenization.reverseString(Lazy.stringValue({ produce: () => "x" })).firstToken as { creationStack: string[] }).creationStack;

describe("lean synth", () => {
  it("renders what cdktf's own preparation pass and token traces render, byte for byte", () => {
    const config = parseOrgConfig(exampleOrganization);
    const props = { config, mode: { offline: false }, artifacts: loadFunctionArtifacts() };
    const lean = folder();
    const [batch] = synthesizeInBatches({ ...props, outdir: lean }, stackNames(config));

    const cdktfDefault = folder();
    const ownPreparation = Object.getOwnPropertyDescriptor(StandaloneStack.prototype, "prepareStack")!;
    Object.defineProperty(StandaloneStack.prototype, "prepareStack", { ...ownPreparation, value: TerraformStack.prototype.prepareStack });
    try {
      withoutTokenTraces(() => buildApp({ ...props, outdir: cdktfDefault }).synth(), { [KEEP_TOKEN_TRACES]: "1" });
    } finally {
      Object.defineProperty(StandaloneStack.prototype, "prepareStack", ownPreparation);
    }
    expect(differingFiles(batch!, cdktfDefault)).toEqual([]);
  });

  it("drops token creation traces while rendering, unless PATCHLINE_SYNTH_TRACES=1 keeps them", () => {
    expect(withoutTokenTraces(creationStack, {})).toEqual([]);
    expect(withoutTokenTraces(creationStack, { [KEEP_TOKEN_TRACES]: "1" }).length).toBeGreaterThan(0);
    // outside a render cdktf behaves as it ships
    expect(creationStack().length).toBeGreaterThan(0);
  });
});
