import type { NoticeDocument } from "../../shared/chat/document.js";
import type { ApprovalRecord } from "../shared/record.js";
import { describeNoResponse, describePatchState, describePlan, formatTime, instanceLabel } from "../shared/text.js";

/** The button's label: the one action a chat message offers (the decision itself is on the page). */
export const CHAT_LINK_LABEL = "Review and decide";

/**
 * An approval request (reminder 0) or a reminder as a chat document: the facts an approver needs
 * to decide whether to open it, and the signed link, which the channel formats turn into a button.
 * Plain text throughout, tag values included: the formats escape every text, as for the digest.
 */
export function requestChatDocument(
  record: ApprovalRecord,
  options: { readonly link: string; readonly linkExpiresAt: string; readonly reminder: number; readonly ownerTagKey: string },
): NoticeDocument {
  const label = instanceLabel(record);
  const reminder = options.reminder === 0 ? "" : `Reminder ${options.reminder} of ${record.plan.reminderCount}: `;
  const what = `${label} in ${record.environment}`;
  const request = (text: string) => ({ section: "Request", text });
  return {
    title: reminder === "" ? `Approve patching of ${what}` : `${reminder}approve patching of ${what}`,
    summary: [],
    link: { label: CHAT_LINK_LABEL, url: options.link },
    lines: [
      request(`Instance: ${label}`),
      request(`Account: ${record.account}, region ${record.region}`),
      request(`Environment: ${record.environment}`),
      request(`Patches: ${describePatchState(record.patchState)}`),
      ...(record.owner ? [request(`Owner (tag ${options.ownerTagKey}): ${record.owner}`)] : []),
      request(`Deadline: ${formatTime(record.deadline)}`),
      ...(options.reminder > 0
        ? [request(`Reminder ${options.reminder} of ${record.plan.reminderCount}, requested ${formatTime(record.requestedAt)}; nobody has decided yet`)]
        : []),
      ...describePlan(record.plan).map((step) => ({ section: "Approving it", text: step })),
      {
        section: "Deciding",
        text: `${CHAT_LINK_LABEL} opens the approval page (this message's link is valid until ${formatTime(options.linkExpiresAt)}); Approve or Reject there decides, once.`,
      },
      { section: "Deciding", text: describeNoResponse(record.plan, record.deadline) },
    ],
  };
}
