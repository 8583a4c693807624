/**
 * Mailer: how a sign-in PIN reaches its address. SmtpMailer sends it with nodemailer to
 * MIXDESK_SMTP_URL; TerminalMailer, the default when no SMTP is configured, prints it on the
 * server's own terminal in a clearly marked line, so a studio can run the server with nothing
 * else (the person at the server reads the PIN out).
 */
import type { Transporter } from 'nodemailer';

export interface PinMail {
  to: string;
  pin: string;
  validMinutes: number;
}

export interface Mailer {
  sendPin(mail: PinMail): Promise<void>;
  close(): void;
}

function pinText({ pin, validMinutes }: PinMail): string {
  return (
    `Your Mixdesk sign-in PIN is ${pin}\n\nIt is valid for ${validMinutes} minutes and can be used once.\n` +
    'If you did not ask for it, ignore this mail: nobody can sign in without the PIN.\n'
  );
}

function protocolOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

export class SmtpMailer implements Mailer {
  /** nodemailer is loaded with the first SmtpMailer: a server without SMTP (the default) never loads it. */
  private readonly transport: Promise<Transporter>;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // Checked here, at start-up, since nodemailer (which would refuse it) is loaded only later.
    if (!/^smtps?:$/.test(protocolOf(smtpUrl)))
      throw new Error(`MIXDESK_SMTP_URL must be an smtp:// or smtps:// URL, got '${smtpUrl.slice(0, 80)}'`);
    this.transport = import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(smtpUrl));
    this.transport.catch(() => {}); // reported by the sendPin that needs it
  }

  async sendPin(mail: PinMail): Promise<void> {
    await (
      await this.transport
    ).sendMail({
      from: this.from,
      to: mail.to,
      subject: `Mixdesk sign-in PIN: ${mail.pin}`,
      text: pinText(mail),
    });
  }

  close(): void {
    this.transport.then(
      (transport) => transport.close(),
      () => {},
    );
  }
}

export class TerminalMailer implements Mailer {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  async sendPin({ to, pin, validMinutes }: PinMail): Promise<void> {
    this.write(
      `=== MIXDESK SIGN-IN PIN === ${to}: ${pin} (valid ${validMinutes} minutes; no SMTP configured, so it is shown here) ===`,
    );
  }

  close(): void {}
}

/** SMTP when a URL is given (MIXDESK_SMTP_URL), the terminal otherwise. */
export function makeMailer(smtpUrl: string | undefined, from = 'Mixdesk <mixdesk@localhost>'): Mailer {
  return smtpUrl ? new SmtpMailer(smtpUrl, from) : new TerminalMailer();
}
