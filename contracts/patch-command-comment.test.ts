import { describe, expect, it } from "vitest";
import { approvalCommandComment, COMMAND_COMMENT_MAX_CHARS, commandOrigin, emergencyCommandComment, windowTaskComment } from "./patch-command-comment.js";

describe("patch command comments", () => {
  it("tell a window task from an approval and from commands patchline did not send", () => {
    expect(commandOrigin(windowTaskComment("dev-weekly", "scan"))).toEqual({ kind: "window", windowName: "dev-weekly", taskName: "scan" });
    expect(commandOrigin(approvalCommandComment("Yq3Yw8n1Zq5d0xJ2r6u9Aw"))).toEqual({ kind: "approval", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw" });
    expect(commandOrigin(emergencyCommandComment("prod-20270304T080000Z-1a2b"))).toEqual({ kind: "emergency", runId: "prod-20270304T080000Z-1a2b" });
    expect(commandOrigin("manual run")).toBeUndefined();
    expect(commandOrigin(undefined)).toBeUndefined();
  });

  it("fit an emergency run's longest id (an execution name of 80 characters) into SSM's 100 characters", () => {
    expect(emergencyCommandComment("r".repeat(80))).toHaveLength(COMMAND_COMMENT_MAX_CHARS);
    expect(commandOrigin(windowTaskComment("emergency", "install"))).toEqual({ kind: "window", windowName: "emergency", taskName: "install" });
  });

  it("keep a window named approval apart from the approval workflow", () => {
    expect(commandOrigin(windowTaskComment("approval", "install"))).toEqual({ kind: "window", windowName: "approval", taskName: "install" });
  });
});
