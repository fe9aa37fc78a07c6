import { SendTaskSuccessCommand, SFNClient } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { approvalRecord, HmacLinkSigner, InMemoryApprovalStore, recordingLog } from "../../../test/support/approval-fakes.js";
import { signLink } from "../shared/link.js";
import { createCallbackHandler } from "./callback.js";

/**
 * Thousands of random and mutated requests against the callback: it must answer every one with a
 * page (never a 5xx), and decide only when the request carries the exact signed link and comes
 * from the approval page's own origin.
 */
const sfn = mockClient(SFNClient);
const signer = new HmacLinkSigner();
const ID = "Yq3Yw8n1Zq5d0xJ2r6u9Aw";
const NOW = new Date("2027-03-04T08:00:00.000Z");
const EXPIRES = String(Date.parse("2027-03-06T21:40:00.000Z") / 1000);
const PAGE = "https://abc123.execute-api.us-east-1.amazonaws.com";
let SIGNATURE: string;

let store: InMemoryApprovalStore;
const callback = () =>
  createCallbackHandler({ store, signer, sfn: new SFNClient({ region: "us-east-1" }), pageOrigin: PAGE, now: () => NOW, log: recordingLog() });

beforeEach(async () => {
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
  SIGNATURE = (await signLink(ID, Number(EXPIRES), signer)).signature;
});

async function freshStore(): Promise<void> {
  store = new InMemoryApprovalStore();
  await store.create(approvalRecord({ taskToken: "token" }), { lockedUntil: 4_000_000_000 }, NOW);
}

/** A string like `original` with one edit: a character changed, dropped, added, or the case flipped. */
const mutated = (original: string) =>
  fc.oneof(
    fc
      .tuple(fc.nat(original.length - 1), fc.string({ minLength: 1, maxLength: 1, unit: "binary" }))
      .map(([i, c]) => original.slice(0, i) + c + original.slice(i + 1)),
    fc.nat(original.length - 1).map((i) => original.slice(0, i) + original.slice(i + 1)),
    fc.tuple(fc.nat(original.length), fc.string({ minLength: 1, maxLength: 3 })).map(([i, s]) => original.slice(0, i) + s + original.slice(i)),
    fc.constant(original.toUpperCase()),
    fc.constant(original.toLowerCase()),
  );

const oneOf = (valid: string) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(valid) },
    { weight: 3, arbitrary: mutated(valid) },
    fc.string({ maxLength: 80 }),
    fc.string({ maxLength: 20, unit: "binary" }),
  );

/** An API Gateway-shaped request whose every part may be right, slightly wrong, or junk. */
const request = fc
  .record({
    method: fc.constantFrom("GET", "POST", "POST", "POST", "PUT", "get", ""),
    approvalId: fc.oneof({ weight: 4, arbitrary: fc.constant(ID) }, mutated(ID), fc.string({ maxLength: 40 })),
    e: oneOf(EXPIRES),
    s: fc.oneof({ weight: 4, arbitrary: fc.constant("VALID") }, { weight: 2, arbitrary: fc.constant("VALID-MUTATED") }, fc.string({ maxLength: 60 })),
    decision: fc.constantFrom("approve", "reject", "APPROVE", "", "approve ", "maybe"),
    contentType: fc.constantFrom("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8", "application/json", "text/plain", ""),
    base64: fc.boolean(),
    junkBody: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, fc.string({ maxLength: 200 })),
    extraField: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, fc.tuple(fc.constantFrom("e", "s", "decision", "x"), fc.string({ maxLength: 10 }))),
    inQuery: fc.boolean(),
    secFetchSite: fc.oneof(
      { weight: 12, arbitrary: fc.constant("same-origin") },
      fc.constant(undefined),
      fc.constantFrom("cross-site", "same-site", "none", "SAME-ORIGIN", " same-origin ", ""),
      mutated("same-origin"),
      fc.string({ maxLength: 20 }),
    ),
    origin: fc.oneof(
      { weight: 10, arbitrary: fc.constant(PAGE) },
      fc.constant(undefined),
      fc.constantFrom("null", "https://evil.example", `${PAGE}.evil.example`, `${PAGE}:443`, PAGE.replace("https:", "http:"), ""),
      mutated(PAGE),
      fc.string({ maxLength: 40 }),
    ),
  })
  .chain((r) => (r.s === "VALID-MUTATED" ? mutated(SIGNATURE).map((s) => ({ ...r, s })) : fc.constant({ ...r, s: r.s === "VALID" ? SIGNATURE : r.s })));

type Generated = typeof request extends fc.Arbitrary<infer T> ? T : never;

function eventOf(r: Generated) {
  const fields = new URLSearchParams({ e: r.e, s: r.s, decision: r.decision });
  if (r.extraField) fields.append(r.extraField[0], r.extraField[1]);
  const form = r.junkBody ?? fields.toString();
  return {
    rawPath: `/approvals/${r.approvalId}`,
    rawQueryString: r.inQuery ? fields.toString() : "",
    pathParameters: { approvalId: r.approvalId },
    headers: {
      "content-type": r.contentType,
      ...(r.secFetchSite === undefined ? {} : { "sec-fetch-site": r.secFetchSite }),
      ...(r.origin === undefined ? {} : { origin: r.origin }),
    },
    body: r.base64 ? Buffer.from(form).toString("base64") : form,
    isBase64Encoded: r.base64,
    requestContext: { http: { method: r.method, sourceIp: "203.0.113.9", userAgent: "fuzz" } },
  };
}

/** Exactly the signed link, as a form POST that API Gateway and a browser would send. */
function carriesTheSignedLink(r: Generated): boolean {
  return r.approvalId === ID && r.e === EXPIRES && r.s === SIGNATURE && r.extraField?.[0] !== "e" && r.extraField?.[0] !== "s";
}

/**
 * Sent by the page itself, as browsers say it: Sec-Fetch-Site, if any, is same-origin; Origin, if
 * any (and not the opaque "null"), is exactly the page's; and at least one of them says so.
 */
function fromThePage(r: Generated): boolean {
  const site = r.secFetchSite?.trim().toLowerCase();
  const origin = r.origin?.trim();
  const originGiven = origin !== undefined && origin !== "" && origin !== "null";
  if (site !== undefined && site !== "same-origin") return false;
  if (originGiven && origin !== PAGE) return false;
  return site === "same-origin" || originGiven;
}

describe("fuzzing the approval callback", () => {
  it("5,000 mutated requests: never a 5xx, never a decision without the signed link from the page's own origin", async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        await freshStore();
        sfn.resetHistory();
        const response = await callback()(eventOf(r));
        expect(response.statusCode).toBeLessThan(500);
        expect(response.headers["Cache-Control"]).toBe("no-store");
        const decided = (await store.get(ID))!.status === "DECIDED";
        if (decided || sfn.commandCalls(SendTaskSuccessCommand).length > 0) {
          expect(carriesTheSignedLink(r)).toBe(true);
          expect(fromThePage(r)).toBe(true);
          expect(r.method).toBe("POST");
        }
      }),
      { numRuns: 5000 },
    );
  }, 120_000);

  it("the generator does reach decisions and refusals by origin (so the property above is not vacuous)", async () => {
    let decisions = 0;
    let refusedByOrigin = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        await freshStore();
        const response = await callback()(eventOf(r));
        if ((await store.get(ID))!.status === "DECIDED") decisions++;
        if (response.body.includes("<h1>Decision refused</h1>")) refusedByOrigin++;
      }),
      { numRuns: 3000, seed: 42 },
    );
    // seeded, so the counts are stable: about 1 % of the generated requests carry the whole signed link as a decision from the page
    expect(decisions).toBeGreaterThan(20);
    expect(refusedByOrigin).toBeGreaterThan(100);
  }, 60_000);

  it("2,000 arbitrary values as events: always a page, never a decision", async () => {
    await freshStore();
    await fc.assert(
      fc.asyncProperty(fc.anything({ withBoxedValues: true, withNullPrototype: true, withObjectString: true }), async (event) => {
        const response = await callback()(event);
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 2000 },
    );
    expect((await store.get(ID))!.status).toBe("PENDING");
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  }, 60_000);
});
