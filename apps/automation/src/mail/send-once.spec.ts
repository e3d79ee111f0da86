import { PostgresEventStore } from '@relate/event-store';

import { Mailer } from './mailer';
import { automationContext, sendOnce, SendOutcome } from './send-once';

describe('sendOnce', () => {
  it('sends a subject with line breaks (a task or deal title) on one line', async () => {
    const sent: Array<Parameters<Mailer['send']>[0]> = [];
    const mailer: Mailer = {
      send: async (mail) => {
        // As MailSender does: a line break in a header is an injection attempt.
        if (/[\r\n]/.test(mail.subject)) throw Object.assign(new Error('x'), { code: 'EINVAL' });
        sent.push(mail);

        return { accepted: true, response: '250 OK', messageId: `<${mail.messageId}@x>` };
      },
    };
    const appended: unknown[] = [];
    const store = {
      append: async (_stream: string, _type: string, events: unknown[]) => {
        appended.push(...events);
      },
    } as unknown as PostgresEventStore;
    const outcomes: SendOutcome[] = [];

    await sendOnce({
      store,
      mailer,
      context: automationContext('t1', 'c1', null),
      streamId: 'reminder-t1:r1',
      streamType: 'reminder',
      claim: { type: 'ReminderSendClaimed', schemaVersion: 1, data: {} },
      mail: {
        to: 'rep@example.test',
        subject: 'Reminder: Call\r\nBcc: someone@example.test',
        text: 'body',
        messageId: 'reminder-r1',
      },
      outcome: (result) => {
        outcomes.push(result);

        return { type: 'ReminderSent', schemaVersion: 1, data: {} };
      },
    });

    expect(outcomes).toEqual([expect.objectContaining({ sent: true })]);
    expect(sent.map((mail) => mail.subject)).toEqual(['Reminder: Call Bcc: someone@example.test']);
    expect(appended).toHaveLength(2);
  });
});
