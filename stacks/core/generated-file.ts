import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { createRequire } from "node:module";
import { type ISynthesisSession, TerraformStack } from "cdktf";
import { Construct } from "constructs";

// cdktf's own assets write their files through this hook; 0.21.0 (pinned) does not export it from its root
const { addCustomSynthesis } = createRequire(import.meta.url)("cdktf/lib/synthesize/synthesizer.js") as {
  addCustomSynthesis: (construct: Construct, synthesis: { onSynthesize: (session: ISynthesisSession) => void }) => void;
};

export interface GeneratedFileProps {
  readonly fileName: string;
  readonly content: string;
}

/**
 * A file the synth writes next to its stack's `cdk.tf.json`, for an argument that takes a path
 * (`aws_s3_object.source`). Data that grows with the organization goes into a plan as a path and
 * a hash instead of a string attribute: Terraform renders a string of 10,000 lines line by line,
 * which at 10,000 accounts took the central stack's plan from 5 to 15 s for the accounts table
 * alone (bench/results/plan-memory.md).
 */
export class GeneratedFile extends Construct {
  /** The file's path relative to the stack's folder, where terraform runs; changes with the content. */
  readonly path: string;
  /** MD5 of the content, hex, as Terraform's `filemd5()` gives it (`source_hash`). */
  readonly md5: string;

  constructor(scope: Construct, id: string, props: GeneratedFileProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    const sha256 = createHash("sha256").update(props.content).digest("hex");
    this.md5 = createHash("md5").update(props.content).digest("hex");
    this.path = posix.join("data", stack.getLogicalId(this.node), sha256.slice(0, 32), props.fileName);
    addCustomSynthesis(this, {
      onSynthesize: (session) => {
        const stackFolder = dirname(join(session.manifest.outdir, session.manifest.forStack(stack).synthesizedStackPath));
        const target = join(stackFolder, this.path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, props.content);
      },
    });
  }
}
