import { createHash } from "node:crypto";
import type { ApprovalRecord, DecisionRecord } from "../shared/record.js";
import { describeApprover, describeNoResponse, describePatchState, describePlan, escapeHtml, formatTime, instanceLabel } from "../shared/text.js";

/**
 * The approval pages: plain HTML that reads on a phone, works without JavaScript (there is none),
 * and with a screen reader. One inline stylesheet, allowed by its hash in the CSP.
 */
const css = [
  "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;padding:1rem;color:#1a1a1a;background:#fff;line-height:1.5}",
  "main{max-width:40rem;margin:0 auto}",
  "h1{font-size:1.4rem;line-height:1.3}",
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}",
  "dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}",
  ".actions{display:flex;flex-wrap:wrap;gap:1rem;margin:1.5rem 0}",
  "button{font-size:1.1rem;padding:.75rem 1.5rem;border-radius:.4rem;border:2px solid #1a1a1a;cursor:pointer;min-width:9rem}",
  "button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}",
  ".approve{background:#0a6b2d;color:#fff;border-color:#0a6b2d}.reject{background:#fff;color:#8a1010;border-color:#8a1010}",
  ".note{background:#f3f3f3;padding:.75rem;border-radius:.4rem}",
  "@media (max-width:30rem){dl{grid-template-columns:1fr}dt{margin-top:.5rem}}",
].join("");

const styleHash = createHash("sha256").update(css).digest("base64");

/**
 * Headers of every approval page: never cached, no framing, and no referrer to other sites (the
 * URL carries the signature). `same-origin` rather than `no-referrer`: under `no-referrer` browsers
 * send `Origin: null` with the page's own form, and browsers without `Sec-Fetch-Site` then have
 * nothing to show that the decision came from this page (./same-origin.ts).
 */
export const pageHeaders: Readonly<Record<string, string>> = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  "Referrer-Policy": "same-origin",
  "Content-Security-Policy": `default-src 'none'; style-src 'sha256-${styleHash}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Strict-Transport-Security": "max-age=31536000",
};

function layout(title: string, body: string): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${escapeHtml(title)} · patchline</title>`,
    `<style>${css}</style>`,
    "</head>",
    "<body><main>",
    `<h1>${escapeHtml(title)}</h1>`,
    body,
    "</main></body>",
    "</html>",
  ].join("\n");
}

function facts(record: ApprovalRecord): string {
  const rows: [string, string][] = [
    ["Instance", instanceLabel(record)],
    ["Account", record.account],
    ["Region", record.region],
    ["Environment", record.environment],
    ["Missing patches", describePatchState(record.patchState)],
    ["Requested", formatTime(record.requestedAt)],
  ];
  return `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`;
}

export interface ConfirmationOptions {
  readonly expires: string;
  readonly signature: string;
  /** The decision route needs a JWT (org.approval.jwt): say so. Otherwise say what is recorded instead. */
  readonly signInIssuer?: string;
}

/** GET: what the request is and what approving does, with the two buttons. Changes nothing. */
export function confirmationPage(record: ApprovalRecord, options: ConfirmationOptions): string {
  const identity = options.signInIssuer
    ? `<p class="note">Deciding requires a sign-in with ${escapeHtml(options.signInIssuer)}: open this link through your organization's sign-in gateway. Your identity is recorded with the decision.</p>`
    : '<p class="note">You are not signed in. patchline records your IP address and browser (user agent) with your decision.</p>';
  return layout(
    `Approve patching of ${instanceLabel(record)}?`,
    [
      facts(record),
      "<h2>If you approve</h2>",
      `<ol>${describePlan(record.plan)
        .map((step) => `<li>${escapeHtml(step)}</li>`)
        .join("")}</ol>`,
      `<p>If you reject, the instance is not patched now.</p>`,
      `<p>${escapeHtml(describeNoResponse(record.plan, record.deadline))}</p>`,
      identity,
      `<form method="post" action="${escapeHtml(record.approvalId)}">`,
      `<input type="hidden" name="e" value="${escapeHtml(options.expires)}">`,
      `<input type="hidden" name="s" value="${escapeHtml(options.signature)}">`,
      '<div class="actions">',
      '<button type="submit" name="decision" value="approve" class="approve">Approve</button>',
      '<button type="submit" name="decision" value="reject" class="reject">Reject</button>',
      "</div>",
      "</form>",
    ].join("\n"),
  );
}

function decisionSummary(decision: DecisionRecord): string {
  const verb = decision.decision === "approve" ? "Approved" : "Rejected";
  return `${verb} by ${describeApprover(decision.approver)} at ${formatTime(decision.decidedAt)}.`;
}

/** POST accepted: what happens now. */
export function decisionPage(record: ApprovalRecord, decision: DecisionRecord, delivered: boolean): string {
  const next =
    decision.decision === "approve"
      ? `Patching of ${instanceLabel(record)} starts${record.plan.backupBeforePatch ? " with an AMI backup" : ""}; you get a message with the result.`
      : `${instanceLabel(record)} is not patched now.`;
  const pickup = delivered ? "" : "<p>The workflow takes up the decision at its next step (at the latest when its current wait ends).</p>";
  return layout(
    decision.decision === "approve" ? "Approved" : "Rejected",
    [facts(record), `<p>${escapeHtml(decisionSummary(decision))}</p>`, `<p>${escapeHtml(next)}</p>`, pickup].join("\n"),
  );
}

/**
 * What anyone holding a link learns of an earlier decision: what it was and when, never who made it
 * from where (the decider's IP address and browser stay in the approval record).
 */
function earlierDecision(decision: DecisionRecord): string {
  return `${decision.decision === "approve" ? "Approved" : "Rejected"} at ${formatTime(decision.decidedAt)}.`;
}

/** The request was decided before (this link, another link, or another approver). */
export function alreadyDecidedPage(record: ApprovalRecord): string {
  return layout(
    "Already decided",
    [
      facts(record),
      `<p>${escapeHtml(record.decision ? earlierDecision(record.decision) : "This request has been decided.")}</p>`,
      "<p>Nothing was changed.</p>",
    ].join("\n"),
  );
}

/** Closed without an answer: past the deadline, or ended by the workflow before anyone decided. */
export function closedPage(record: ApprovalRecord): string {
  if (record.outcome && !record.decision && record.status === "PENDING") {
    // the workflow failed while asking (the outcome says where); the platform team was notified
    return layout(
      "No longer open",
      [
        facts(record),
        `<p>This request was closed by patchline before anyone decided: ${escapeHtml(record.outcome.detail ?? record.outcome.status)}. The platform team has been notified; a new request follows the next time the instance becomes non-compliant.</p>`,
        "<p>Nothing was changed.</p>",
      ].join("\n"),
    );
  }
  const what = record.plan.onNoResponse === "approve" ? "was approved automatically" : "was rejected";
  return layout(
    "No longer open",
    [facts(record), `<p>Nobody decided by ${escapeHtml(formatTime(record.deadline))}; the request was escalated and ${what}. Nothing was changed.</p>`].join(
      "\n",
    ),
  );
}

/** Bad links and other requests that cannot be served; the message says what to do. */
export function problemPage(title: string, message: string): string {
  return layout(title, `<p>${escapeHtml(message)}</p>\n<p>Nothing was changed.</p>`);
}
