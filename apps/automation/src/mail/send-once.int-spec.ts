import { Pool } from 'pg';

import { PostgresEventStore } from '@relate/event-store';
import { createPool } from '@relate/service-kit';
import { createTestDatabase, TestDatabase } from '@relate/testing';

import { Mailer } from './mailer';
import { automationContext, SendOnce, sendOnce } from './send-once';

describe('sendOnce against the event store', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const context = automationContext('tenant-1', 'corr-1', null);
  const sent: string[] = [];
  const mailer: Mailer = {
    send: async (mail) => {
      sent.push(mail.messageId);

      return { accepted: true, response: '250 OK', messageId: `<${mail.messageId}@relate>` };
    },
  };

  beforeAll(async () => {
    database = await createTestDatabase('send_once');
    pool = createPool('send-once-spec', { connectionString: database.url, max: 2 });
    store = new PostgresEventStore(pool, { schema: 'automation' });
    await store.migrate();
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  function job(emailId: string): SendOnce {
    return {
      store,
      mailer,
      context,
      streamId: `email-tenant-1:${emailId}`,
      streamType: 'email',
      claim: { type: 'EmailSendClaimed', schemaVersion: 1, data: { emailId } },
      mail: { to: 'rep@example.test', subject: 'Hello', text: 'body', messageId: emailId },
      outcome: (result) =>
        result.sent
          ? { type: 'EmailSent', schemaVersion: 1, data: { emailId } }
          : { type: 'EmailNotSent', schemaVersion: 1, data: { emailId, reason: result.reason } },
    };
  }

  it('sends once, however often it is asked', async () => {
    const first = await sendOnce(job('e-1'));
    const again = await sendOnce(job('e-1'));

    expect([first, again]).toEqual(['sent', 'claimed-elsewhere']);
    expect(sent.filter((id) => id === 'e-1')).toHaveLength(1);
  });

  it('closes a claim whose sender died mid-send as outcome-unknown, sending nothing', async () => {
    const crashed = job('e-2');
    await store.append(crashed.streamId, crashed.streamType, [crashed.claim], {
      expectedVersion: 'no_stream',
      context,
    });

    const afterCrash = await sendOnce(job('e-2'));
    const again = await sendOnce(job('e-2'));
    const events = await store.readStream(context.tenantId, crashed.streamId);

    expect([afterCrash, again]).toEqual(['abandoned', 'claimed-elsewhere']);
    expect(sent).not.toContain('e-2');
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['EmailSendClaimed', { emailId: 'e-2' }],
      ['EmailNotSent', { emailId: 'e-2', reason: 'outcome-unknown' }],
    ]);
  });
});
