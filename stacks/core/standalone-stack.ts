import { TerraformStack } from "cdktf";

/**
 * A stack that never references another stack: every patchline stack is planned and applied on its
 * own, with its own credentials, so a value crossing stacks would be a design error (and
 * `terraform validate` of the stack would name the undeclared resource).
 *
 * cdktf resolves every element once more before synth only to find cross-stack references and add
 * outputs for them. Without any, that pass finds nothing and costs about 20 % of a stack's synth
 * time, so it is skipped; the rendered Terraform is the same (tested byte for byte against
 * cdktf's own preparation in stacks/app/lean-synth.synth.test.ts).
 */
export abstract class StandaloneStack extends TerraformStack {
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
