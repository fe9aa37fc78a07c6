import { describe, expect, it } from "vitest";
import { PATCH_GROUP_TAG_KEYS, type PatchGroupTagKey } from "../contracts/tags.js";
import { parseFleetCatalog } from "../contracts/fleet-catalog.js";
import { exampleWith } from "./support/config.js";
import { synthOrg } from "./support/synth.js";
import { bodiesOf, type Block } from "./support/terraform-json.js";
import { scratchFolders } from "./support/scratch.js";

/**
 * `org.patchGroupTagKey` reaches every place the key appears: a whole organization synthesized with
 * each key selects, checks and reads only that key.
 */
const { removeAfterTests } = scratchFolders("patchline-tag-key-");
function synthWith(key: PatchGroupTagKey) {
  const { outdir, stacks } = synthOrg({ input: exampleWith((d) => (d.org.patchGroupTagKey = key)) });
  removeAfterTests(outdir);
  return stacks;
}

describe.each(PATCH_GROUP_TAG_KEYS)("an organization whose instances carry %s", (key) => {
  const stacks = synthWith(key);
  const other = PATCH_GROUP_TAG_KEYS.find((k) => k !== key)!;
  const members = [...stacks.values()].filter((s) => s.name !== "central");

  it("targets its windows and checks its coverage rules by that key, in every member stack", () => {
    for (const stack of members) {
      const targetKeys = bodiesOf(stack.json, "aws_ssm_maintenance_window_target").flatMap((t) => (t.targets as Block[]).map((x) => x.key));
      expect(targetKeys).toContain(`tag:${key}`);
      expect(targetKeys).not.toContain(`tag:${other}`);
      const policies = bodiesOf(stack.json, "aws_config_config_rule")
        .filter((r) => r.name === "patchline-patch-group-tag")
        .map((r) => String(((r.source as Block).custom_policy_details as Block).policy_text));
      for (const policy of policies) expect(policy).toContain(`tags[ keys == '${key}' ]`);
      // "Patch Group" is in "PatchGroup"'s stacks nowhere, and the reverse
      expect(JSON.stringify(stack.json)).not.toContain(`"tag:${other}"`);
    }
  });

  it("tells the central functions the key through the fleet catalog", () => {
    const catalog = bodiesOf(stacks.get("central")!.json, "aws_s3_object").find((o) => String(o.key).endsWith("fleet.json"))!;
    expect(parseFleetCatalog(JSON.parse(String(catalog.content))).patchGroupTagKey).toBe(key);
  });
});
