import { SendTaskSuccessCommand, SFNClient } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import type { Server } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalRecord, HmacLinkSigner, InMemoryApprovalStore, recordingLog } from "../../../test/support/approval-fakes.js";
import { launchChromium, serveOtherSite } from "../../../test/support/browser.js";
import { serveLambda } from "../../../test/support/lambda-http.js";
import { linkUrl, signLink } from "../shared/link.js";
import { createCallbackHandler } from "./callback.js";

/**
 * The approval page in a real browser: Debian's Chromium, headless, against the handler served
 * through an API Gateway-like adapter. CSP, form posting and navigation are the browser's own.
 */
const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAf-browser-task-token";
const ID = "Yq3Yw8n1Zq5d0xJ2r6u9Aw";

describe("the approval page in headless Chromium", () => {
  const sfn = mockClient(SFNClient);
  const store = new InMemoryApprovalStore();
  const signer = new HmacLinkSigner();
  let browser: Browser;
  let server: Server;
  let otherSite: Server;
  let link: string;
  let otherSiteUrl: string;

  beforeAll(async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    await store.create(
      approvalRecord({ taskToken: TOKEN, deadline: new Date(Date.now() + 3 * 86_400_000).toISOString() }),
      { lockedUntil: 4_000_000_000 },
      new Date(),
    );
    // the page's origin is the served URL, known once the server listens
    let handler: ReturnType<typeof createCallbackHandler> | undefined;
    const served = await serveLambda(
      [
        { method: "GET", path: "/approvals/{approvalId}" },
        { method: "POST", path: "/approvals/{approvalId}" },
      ],
      (event) => handler!(event),
    );
    handler = createCallbackHandler({
      store,
      signer,
      sfn: new SFNClient({ region: "us-east-1" }),
      pageOrigin: served.url,
      now: () => new Date(),
      log: recordingLog(),
    });
    server = served.server;
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const parts = await signLink(ID, expires, signer);
    link = linkUrl(served.url, parts);
    // a page of another site holding the link: the same form as the approval page's, posting to it
    const other = await serveOtherSite(
      [
        "<!doctype html><title>You won a prize</title>",
        `<form method="post" action="${served.url}/approvals/${ID}">`,
        `<input type="hidden" name="e" value="${expires}"><input type="hidden" name="s" value="${parts.signature}">`,
        '<button type="submit" name="decision" value="approve">Claim your prize</button>',
        "</form>",
      ].join(""),
    );
    otherSite = other.server;
    otherSiteUrl = other.url;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await new Promise((resolve) => otherSite?.close(resolve));
    sfn.restore();
  });

  it("a form on another site posting the link is refused with a page that says why; nothing is decided", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(otherSiteUrl);
    const [response] = await Promise.all([page.waitForResponse(`**/approvals/${ID}`), page.getByRole("button", { name: "Claim your prize" }).click()]);
    expect(response.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Decision refused");
    await expect(
      page.getByText(/this one was refused: the browser reports it was sent from another site \(Sec-Fetch-Site: "cross-site"\)/).count(),
    ).resolves.toBe(1);
    expect((await store.get(ID))!).toMatchObject({ status: "PENDING", taskToken: TOKEN });
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    await context.close();
  }, 60_000);

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

    const posted = page.waitForRequest((r) => r.method() === "POST");
    await Promise.all([page.waitForURL(`**/approvals/${ID}`), page.getByRole("button", { name: "Approve" }).click()]);
    // the page's Referrer-Policy lets the browser name the page's origin, for browsers without Sec-Fetch-Site
    expect(await (await posted).allHeaders()).toMatchObject({ "sec-fetch-site": "same-origin", origin: new URL(link).origin });
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Approved");
    await expect(page.getByText("Patching of web-1 (i-0abc123def4567890) starts with an AMI backup").count()).resolves.toBe(1);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.taskToken).toBe(TOKEN);
    expect((await store.get(ID))!.decision!.approver).toMatchObject({ kind: "unverified", sourceIp: "127.0.0.1", userAgent: "patchline-browser-test" });

    await page.goto(link);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Already decided");
    // the decision and its time, not who decided from where
    await expect(page.getByText(/^Approved at \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/).count()).resolves.toBe(1);
    await expect(page.getByText(/127\.0\.0\.1|patchline-browser-test/).count()).resolves.toBe(0);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
