import { spawnSync } from "node:child_process";
import { appendFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commandEnv, copyRepository } from "./support/repository-copy.js";

/** `npm run lint` keeps the layers (docs/architecture.md): an import that points upward fails it, naming the rule. */
describe("npm run lint", () => {
  const copies: string[] = [];
  afterAll(() => copies.forEach((copy) => rmSync(copy, { recursive: true, force: true })));

  const lintAfter = (file: string, line: string) => {
    const copy = copyRepository();
    copies.push(copy);
    appendFileSync(join(copy, file), `\n${line}\n`);
    const result = spawnSync("npm", ["run", "--silent", "lint"], { cwd: copy, env: commandEnv(), encoding: "utf8" });
    return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
  };

  it.each([
    ["functions/lib/sns-subject.ts", 'import "../../stacks/naming.js";', "functions-import-no-upper-layer"],
    ["environments/schema/primitives.ts", 'import "../../functions/lib/env.js";', "environments-import-contracts-only"],
    ["contracts/tags.ts", 'import "../environments/schema/index.js";', "contracts-import-nothing"],
    ["stacks/naming.ts", 'import "../tools/lib/cli.js";', "stacks-import-no-tools"],
    ["functions/lib/sns-subject.test.ts", 'import "../../environments/index.js";', "tests-leave-the-user-organization-alone"],
    ["functions/lib/sns-subject.test.ts", 'await import("../../environments/index.js");', "tests-leave-the-user-organization-alone"],
    ["test/readme.test.ts", 'import "../main.js";', "tests-leave-the-user-organization-alone"],
    ["tools/lib/cli.ts", 'import "../../test/support/config.js";', "tools-import-no-bench-or-tests"],
    ["environments/schema/input.ts", 'import "./invariants.js";', "no-circular"],
  ])(
    "fails when %s gets %s (%s)",
    (file, line, rule) => {
      const { code, output } = lintAfter(file, line);
      expect(code).not.toBe(0);
      // a circle is reported from wherever depcruise enters it; every other rule from the importing file
      expect(output).toContain(rule === "no-circular" ? "error no-circular: " : `error ${rule}: ${file}`);
      expect(output).toContain(file);
    },
    120_000,
  );
});
