import { describe, expect, it } from "vitest";
import { bodiesOf } from "../../test/support/terraform-json.js";
import { exampleConfig, synthConstruct } from "../../test/support/construct-synth.js";
import { HookDocuments, hookDocumentContent } from "./hook-documents.js";

describe("HookDocuments", () => {
  it("creates a private Command document per hook", () => {
    const json = synthConstruct((stack, provider) => new HookDocuments(stack, "Hooks", { documents: exampleConfig.org.hookDocuments, provider }));
    expect(bodiesOf(json, "aws_ssm_document").map((d) => [d.name, d.document_type, d.document_format, d.target_type, d.permissions])).toEqual([
      ["patchline-record-running-services", "Command", "JSON", "/AWS::EC2::Instance", undefined],
      ["patchline-verify-services", "Command", "JSON", "/AWS::EC2::Instance", undefined],
    ]);
  });

  it("renders schema 2.2 with one step per platform behind a platformType precondition", () => {
    const content = hookDocumentContent({ name: "patchline-x", description: "d", linux: { commands: ["true"], timeoutSeconds: 60 } });
    expect(content).toEqual({
      schemaVersion: "2.2",
      description: "d",
      mainSteps: [
        {
          action: "aws:runShellScript",
          name: "linux",
          precondition: { StringEquals: ["platformType", "Linux"] },
          inputs: { runCommand: ["true"], timeoutSeconds: 60 },
        },
      ],
    });
  });

  it("uses PowerShell for the Windows step", () => {
    const content = hookDocumentContent({ name: "patchline-x", description: "d", windows: { commands: ["exit 0"], timeoutSeconds: 60 } });
    expect(content.mainSteps).toEqual([
      {
        action: "aws:runPowerShellScript",
        name: "windows",
        precondition: { StringEquals: ["platformType", "Windows"] },
        inputs: { runCommand: ["exit 0"], timeoutSeconds: 60 },
      },
    ]);
  });
});
