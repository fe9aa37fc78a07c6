import { channelName } from "./compliance.js";
import type { OrgConfigInput, Problem } from "./input.js";
import { show } from "./messages.js";

type Report = (path: Problem["path"], message: string) => void;

/**
 * Cross-field checks of the chat channels approval requests are posted to (`<env>.approval.channels`):
 * each is a channel of `org.channels`, of type Teams or Slack, and posting a decision link where
 * every channel member reads it is either covered by sign-in (`org.approval.jwt.approversOnly`: only
 * approvers and the owner may decide) or acknowledged (`channelMembersMayDecide`).
 */
export function checkApprovalChannels(config: OrgConfigInput, report: Report): void {
  const channels = config.org?.channels ?? {};
  const defined = Object.keys(channels);
  const approversOnly = config.org?.approval?.jwt?.approversOnly === true;

  for (const [envName, env] of Object.entries(config.environments ?? {})) {
    const approval = env?.approval;
    const names = approval?.channels;
    if (!Array.isArray(names)) continue;
    names.forEach((name: unknown, i) => {
      // a name the field check rejects is reported there only
      if (typeof name !== "string" || !channelName.safeParse(name).success) return;
      const channel = channels[name];
      if (!channel) {
        report(
          [envName, "approval", "channels", i],
          `${show(name)} is not a channel in org.channels (defined: ${defined.length > 0 ? defined.join(", ") : "none"})`,
        );
      } else if (channel.type === "email") {
        // the approvals topic already mails the environment's approverEmails, with the environment as filter
        report(
          [envName, "approval", "channels", i],
          `${show(name)} is an e-mail channel; approval requests go to Teams or Slack channels only, and by e-mail to ${envName}.approval.approverEmails (list the addresses there)`,
        );
      }
    });
    if (names.length > 0 && approval?.enabled !== false && !approversOnly && approval?.channelMembersMayDecide !== true) {
      report(
        [envName, "approval", "channels"],
        "would post each request's decision link to every member of these channels, and without org.approval.jwt.approversOnly the link alone decides: " +
          "turn approversOnly on (only approvers and the instance's owner, signed in, may decide), or set channelMembersMayDecide: true to accept that any channel member may",
      );
    }
  }
}
