import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyRepository, runInCopy } from "./support/repository-copy.js";

/** `npm run lint` keeps the layers (docs/architecture.md): an import that points upward fails it, naming the rule. */
describe("npm run lint", () => {
  const lintAfter = (file: string, line: string) => {
    const copy = copyRepository();
    appendFileSync(join(copy, file), `\n${line}\n`);
    return runInCopy(copy, "npm", ["run", "--silent", "lint"]);
  };

  it.each([
    ["functions/shared/sns-subject.ts", 'import "../../stacks/naming.js";', "functions-import-no-upper-layer"],
    ["environments/schema/primitives.ts", 'import "../../functions/shared/env.js";', "environments-import-contracts-only"],
    ["contracts/tags.ts", 'import "../environments/schema/index.js";', "contracts-import-nothing"],
    ["stacks/naming.ts", 'import "../tools/lib/cli.js";', "stacks-import-no-function-code-or-tools"],
    ["stacks/naming.ts", 'import "../functions/shared/env.js";', "stacks-import-no-function-code-or-tools"],
    ["functions/shared/sns-subject.test.ts", 'import "../../environments/index.js";', "tests-leave-the-user-organization-alone"],
    ["functions/shared/sns-subject.test.ts", 'await import("../../environments/index.js");', "tests-leave-the-user-organization-alone"],
    ["test/readme.test.ts", 'import "../main.js";', "tests-leave-the-user-organization-alone"],
    ["tools/lib/cli.ts", 'import "../../test/support/config.js";', "tools-import-no-function-code-or-tests"],
    ["tools/lib/cli.ts", 'import "../../functions/compliance/shared/report.js";', "tools-import-no-function-code-or-tests"],
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
