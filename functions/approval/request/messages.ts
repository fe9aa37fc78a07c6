import { oneLine } from "../../shared/escape/plain-text.js";
import type { ApprovalRecord } from "../shared/record.js";
import { describeNoResponse, describePatchState, describePlan, escapeHtml, formatTime, instanceLabel } from "../shared/text.js";

export interface RequestMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** The request (reminder 0) or a reminder: what the instance is missing, what approving does, the link. */
export function requestMessage(
  record: ApprovalRecord,
  options: { link: string; linkExpiresAt: string; reminder: number; ownerTagKey: string },
): RequestMessage {
  const label = instanceLabel(record);
  const prefix = options.reminder === 0 ? "" : `Reminder ${options.reminder} of ${record.plan.reminderCount}: `;
  const subject = `[patchline] ${prefix}approve patching of ${label} in ${record.environment}`;
  const facts: [string, string][] = [
    ["Instance", label],
    ["Account", record.account],
    ["Region", record.region],
    ["Environment", record.environment],
    ["Patches", describePatchState(record.patchState)],
    ...(record.patchState.baselineId ? [["Baseline", record.patchState.baselineId] as [string, string]] : []),
    ...(record.owner ? [[`Owner (tag ${options.ownerTagKey})`, record.owner] as [string, string]] : []),
    ["Requested", formatTime(record.requestedAt)],
  ];
  const plan = describePlan(record.plan);
  const closing = [
    `The link is valid until ${formatTime(options.linkExpiresAt)}; it opens a page where you approve or reject.`,
    describeNoResponse(record.plan, record.deadline),
  ];

  const text = [
    `${prefix}${label} needs patches and waits for an approval.`,
    "",
    // one line per fact: an owner tag with a line break must not add a line of its own ("Approve: <link>")
    ...facts.map(([k, v]) => `${k}: ${oneLine(v)}`),
    "",
    "Approving it:",
    ...plan.map((step) => `- ${step}`),
    "",
    `Review and decide: ${options.link}`,
    ...closing,
  ].join("\n");

  const html = [
    '<!doctype html><html lang="en"><body style="font-family:sans-serif;line-height:1.5">',
    `<p>${escapeHtml(prefix)}<strong>${escapeHtml(label)}</strong> needs patches and waits for an approval.</p>`,
    "<table>",
    ...facts.map(([k, v]) => `<tr><th align="left" style="padding-right:1em">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    "</table>",
    "<p>Approving it:</p><ol>",
    ...plan.map((step) => `<li>${escapeHtml(step)}</li>`),
    "</ol>",
    `<p><a href="${escapeHtml(options.link)}">Review and decide</a></p>`,
    ...closing.map((line) => `<p>${escapeHtml(line)}</p>`),
    "</body></html>",
  ].join("\n");
  return { subject, text, html };
}
