import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { HookDocument } from "../../environments/schema/index.js";

export interface HookDocumentsProps {
  readonly documents: readonly HookDocument[];
  readonly provider: AwsProvider;
}

/** SSM Command document (schema 2.2) content for a hook: one step per platform, each behind a platformType precondition. */
export function hookDocumentContent(doc: HookDocument): Record<string, unknown> {
  const steps: Record<string, unknown>[] = [];
  if (doc.linux) {
    steps.push({
      action: "aws:runShellScript",
      name: "linux",
      precondition: { StringEquals: ["platformType", "Linux"] },
      inputs: { runCommand: doc.linux.commands, timeoutSeconds: doc.linux.timeoutSeconds },
    });
  }
  if (doc.windows) {
    steps.push({
      action: "aws:runPowerShellScript",
      name: "windows",
      precondition: { StringEquals: ["platformType", "Windows"] },
      inputs: { runCommand: doc.windows.commands, timeoutSeconds: doc.windows.timeoutSeconds },
    });
  }
  return { schemaVersion: "2.2", description: doc.description, mainSteps: steps };
}

/** The document content SSM gets (`aws_ssm_document.content`). */
export const hookDocumentJson = (doc: HookDocument): string => JSON.stringify(hookDocumentContent(doc), null, 2);

/** The lifecycle hook documents that the region's windows reference, owned by this account (never shared). */
export class HookDocuments extends Construct {
  readonly documents: ReadonlyMap<string, SsmDocument>;

  constructor(scope: Construct, id: string, props: HookDocumentsProps) {
    super(scope, id);
    const documents = new Map<string, SsmDocument>();
    for (const doc of props.documents) {
      documents.set(
        doc.name,
        new SsmDocument(this, doc.name, {
          provider: props.provider,
          name: doc.name,
          documentType: "Command",
          documentFormat: "JSON",
          targetType: "/AWS::EC2::Instance",
          content: hookDocumentJson(doc),
        }),
      );
    }
    this.documents = documents;
  }
}
