import { describe, expect, it } from "vitest";
import { runProcess, shellLine } from "./process.js";

describe("runProcess", () => {
  it("passes arguments without a shell and reports the exit code and captured output", async () => {
    const result = await runProcess(process.execPath, ["-e", "console.log(process.argv[1]); process.stderr.write('e'); process.exit(3)", "prod-*"], {
      capture: true,
    });
    expect(result).toEqual({ code: 3, stdout: "prod-*\n", stderr: "e" });
  });

  it("reports a program that does not exist as exit 127", async () => {
    const result = await runProcess("patchline-no-such-program", [], { capture: true });
    expect(result.code).toBe(127);
    expect(result.stderr).toContain("patchline-no-such-program: spawn patchline-no-such-program ENOENT");
  });
});

describe("shellLine", () => {
  it("quotes what a shell would expand", () => {
    expect(shellLine("npx", ["cdktf", "deploy", "prod-*", "--parallelism", "4", "it's"])).toBe("npx cdktf deploy 'prod-*' --parallelism 4 'it'\\''s'");
  });
});
