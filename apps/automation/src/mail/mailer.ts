/**
 * The mail port of the automation service: `MailSender` of `@relate/mail` fits it. Kept as a
 * small interface so the service does not depend on how mail is sent.
 */
export interface Mailer {
  send(mail: {
    to: string;
    subject: string;
    text: string;
    messageId: string;
    headers?: Record<string, string>;
  }): Promise<{ accepted: boolean; response: string; messageId: string }>;
  close?(): Promise<void>;
}
