import { createRequire } from "node:module";
import type { Transporter } from "nodemailer";

// nodemailer is loaded only when SMTP is configured; the log transport needs none of it.
const requireOptional = createRequire(import.meta.url);

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface MailOptions {
  /** smtp://user:pass@host:port (or smtps://); unset means the log transport. */
  smtpUrl: string | undefined;
  from: string;
  /** Where the log transport reports; receives no message body, since bodies carry tokens. */
  log: (line: Record<string, unknown>) => void;
}

/**
 * Outgoing mail. Over SMTP when configured; otherwise only the fact that a mail was sent is
 * logged (recipient and subject), never the body, because bodies carry confirmation tokens.
 */
export class MailService {
  private readonly transport: Transporter | null;

  constructor(private readonly options: MailOptions) {
    this.transport = options.smtpUrl ? (requireOptional("nodemailer") as typeof import("nodemailer")).createTransport(options.smtpUrl) : null;
  }

  get mode(): "smtp" | "log" {
    return this.transport ? "smtp" : "log";
  }

  async send(message: MailMessage): Promise<void> {
    if (!this.transport) {
      this.options.log({ msg: "mail not sent over SMTP (CUSTOS_SMTP_URL unset)", to: message.to, subject: message.subject });
      return;
    }
    await this.transport.sendMail({ from: this.options.from, to: message.to, subject: message.subject, text: message.text });
  }

  close(): void {
    this.transport?.close();
  }
}
