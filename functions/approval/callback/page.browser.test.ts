import { SendTaskSuccessCommand, SFNClient } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import type { Server } from "node:http";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalRecord, HmacLinkSigner, InMemoryApprovalStore, recordingLog } from "../../../test/support/approval-fakes.js";
import { serveLambda } from "../../../test/support/lambda-http.js";
import { linkUrl, signLink } from "../shared/link.js";
import { createCallbackHandler } from "./callback.js";

/**
 * The approval page in a real browser: Debian's Chromium, headless, against the handler served
 * through an API Gateway-like adapter. CSP, form posting and navigation are the browser's own.
 */
const CHROMIUM = "/usr/bin/chromium";
const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAf-browser-task-token";
const ID = "Yq3Yw8n1Zq5d0xJ2r6u9Aw";

describe("the approval page in headless Chromium", () => {
  const sfn = mockClient(SFNClient);
  const store = new InMemoryApprovalStore();
  const signer = new HmacLinkSigner();
  let browser: Browser;
  let server: Server;
  let link: string;

  beforeAll(async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    await store.create(
      approvalRecord({ taskToken: TOKEN, deadline: new Date(Date.now() + 3 * 86_400_000).toISOString() }),
      { lockedUntil: 4_000_000_000 },
      new Date(),
    );
    const handler = createCallbackHandler({ store, signer, sfn: new SFNClient({ region: "us-east-1" }), now: () => new Date(), log: recordingLog() });
    const served = await serveLambda(
      [
        { method: "GET", path: "/approvals/{approvalId}" },
        { method: "POST", path: "/approvals/{approvalId}" },
      ],
      handler,
    );
    server = served.server;
    link = linkUrl(served.url, await signLink(ID, Math.floor(Date.now() / 1000) + 3600, signer));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    sfn.restore();
  });

  it("shows the instance, approves with a click, shows the result; the token is used once; reopening shows the decision", async () => {
    // a phone-sized viewport: the page must read without sideways scrolling
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, userAgent: "patchline-browser-test" });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));

    const first = await page.goto(link);
    expect(first!.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Approve patching of web-1 (i-0abc123def4567890)?");
    expect(await page.locator("dd").allTextContents()).toEqual(expect.arrayContaining(["web-1 (i-0abc123def4567890)", "400000000002", "eu-west-1", "prod"]));
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // the stylesheet's CSP hash matches: the buttons are styled, not refused by the browser
    expect(await page.getByRole("button", { name: "Approve" }).evaluate((b) => getComputedStyle(b).backgroundColor)).toBe("rgb(10, 107, 45)");
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);

    await Promise.all([page.waitForURL(`**/approvals/${ID}`), page.getByRole("button", { name: "Approve" }).click()]);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Approved");
    await expect(page.getByText("Patching of web-1 (i-0abc123def4567890) starts with an AMI backup").count()).resolves.toBe(1);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.taskToken).toBe(TOKEN);
    expect((await store.get(ID))!.decision!.approver).toMatchObject({ kind: "unverified", sourceIp: "127.0.0.1", userAgent: "patchline-browser-test" });

    await page.goto(link);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Already decided");
    await expect(page.getByText(/^Approved by someone holding the link \(from 127\.0\.0\.1, using patchline-browser-test\)/).count()).resolves.toBe(1);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
