import { SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";

export interface EmailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** @default - text only */
  readonly html?: string;
}

export interface EmailSender {
  readonly client: SESv2Client;
  /** The verified SES identity mail is sent from (org.email.senderAddress). */
  readonly from: string;
}

/** Mail to instance owners: the SES sender, and the domains an owner's address must be in. */
export interface OwnerMail extends EmailSender {
  /** `example.com`, or `*.example.com` for its subdomains (org.email.ownerDomains, resolved by the stacks). */
  readonly ownerDomains: readonly string[];
}

/**
 * Sends one e-mail through SES (v2). SES, unlike an SNS e-mail subscription, reaches an owner
 * address without a subscription and carries no one-click unsubscribe link that mail scanners could
 * follow. The SDK's standard retry mode handles SES throttling.
 */
export async function sendEmail(sender: EmailSender, message: EmailMessage): Promise<string | undefined> {
  const body = message.html
    ? { Text: { Data: message.text, Charset: "UTF-8" }, Html: { Data: message.html, Charset: "UTF-8" } }
    : { Text: { Data: message.text, Charset: "UTF-8" } };
  const result = await sender.client.send(
    new SendEmailCommand({
      FromEmailAddress: sender.from,
      Destination: { ToAddresses: [...message.to] },
      Content: { Simple: { Subject: { Data: message.subject, Charset: "UTF-8" }, Body: body } },
    }),
  );
  return result.MessageId;
}
