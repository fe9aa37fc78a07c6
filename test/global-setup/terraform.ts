import { findProviderMirror, requireTerraform } from "../support/prerequisites.js";
import { warmPluginCache } from "../support/terraform.js";
import { requirePrerequisite } from "./prerequisite.js";

/**
 * Before the terraform tier: terraform on PATH, the hashicorp/aws provider (a mirror on this
 * machine, handed to the test processes through the environment they inherit, or the registry),
 * installed once into the shared plugin cache before suites run terraform side by side.
 */
export default function setup(): void {
  requirePrerequisite(() => {
    requireTerraform();
    const mirror = findProviderMirror();
    if (mirror) process.env.PATCHLINE_PROVIDER_MIRROR = mirror;
    warmPluginCache();
  });
}
