import { describe, expect, it } from "vitest";
import { approvalCommandComment, commandOrigin, windowTaskComment } from "./patch-command-comment.js";

describe("patch command comments", () => {
  it("tell a window task from an approval and from commands patchline did not send", () => {
    expect(commandOrigin(windowTaskComment("dev-weekly", "scan"))).toEqual({ kind: "window", windowName: "dev-weekly", taskName: "scan" });
    expect(commandOrigin(approvalCommandComment("Yq3Yw8n1Zq5d0xJ2r6u9Aw"))).toEqual({ kind: "approval", approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw" });
    expect(commandOrigin("manual run")).toBeUndefined();
    expect(commandOrigin(undefined)).toBeUndefined();
  });

  it("keep a window named approval apart from the approval workflow", () => {
    expect(commandOrigin(windowTaskComment("approval", "install"))).toEqual({ kind: "window", windowName: "approval", taskName: "install" });
  });
});
