import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { AddressInfo, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SMTPServer } from 'smtp-server';

import { RelateError } from '@relate/errors';

import { MailCatcher } from './mail.catcher';
import { MailErrorCodes } from './mail.errors';
import { MailSender } from './mail.sender';

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('MailSender and MailCatcher', () => {
  let dir: string;
  let catcher: MailCatcher;
  let sender: MailSender;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relate-mail-'));
    catcher = await MailCatcher.start({ dir, maxMessageBytes: 64 * 1024, logger: silent });
    sender = new MailSender(
      { smtpUrl: catcher.url, from: 'Relate <relate@relate.test>' },
      { logger: silent },
    );
  });

  afterEach(async () => {
    await sender.close();
    await catcher.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers headers, body and message id to the catcher', async () => {
    const result = await sender.send({
      to: 'Ann Rep <ann@example.test>',
      subject: 'Reminder: call Acme — heute',
      text: 'Call Acme about the renewal.\nÜbermorgen is too late.',
      html: '<p>Call <b>Acme</b></p>',
      messageId: 'reminder-42',
      headers: { 'X-Relate-Reminder': 'task-42' },
    });

    expect(result).toMatchObject({ accepted: true, messageId: '<reminder-42@relate.test>' });
    expect(result.response).toMatch(/^250 /);
    const [mail, ...others] = await catcher.messages();
    expect(others).toEqual([]);
    expect(mail).toMatchObject({
      messageId: '<reminder-42@relate.test>',
      from: 'Relate <relate@relate.test>',
      to: 'Ann Rep <ann@example.test>',
      subject: 'Reminder: call Acme — heute',
      html: '<p>Call <b>Acme</b></p>',
    });
    expect(mail.text?.trim()).toBe('Call Acme about the renewal.\nÜbermorgen is too late.');
    expect(mail.headers['x-relate-reminder']).toBe('task-42');
    expect(mail.file).toMatch(/\/\d{4}-\d\d-\d\dT[\d-]+\.\d{3}Z-reminder-42@relate\.test\.eml$/);
  });

  it('writes one finished .eml per message and leaves no temporary file', async () => {
    await Promise.all(
      [1, 2, 3].map((n) =>
        sender.send({ to: 'a@example.test', subject: `s${n}`, text: `t${n}`, messageId: 'same' }),
      ),
    );

    const files = readdirSync(dir);
    expect(files).toHaveLength(3);
    expect(files.every((file) => file.endsWith('.eml') && !file.startsWith('.'))).toBe(true);
    const subjects = (await catcher.messages()).map((mail) => mail.subject).sort();
    expect(subjects).toEqual(['s1', 's2', 's3']);
  });

  it('never shows a reader half a message', async () => {
    const text = 'y'.repeat(40 * 1024);
    let sending = true;
    const sent = sender
      .send({ to: 'a@example.test', subject: 'whole', text, messageId: 'whole-1' })
      .finally(() => (sending = false));
    const sizes = new Set<number>();
    while (sending) {
      for (const name of readdirSync(dir).filter((file) => file.endsWith('.eml'))) {
        sizes.add(statSync(join(dir, name)).size);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await sent;

    const [mail] = await catcher.messages();
    expect(mail.text?.trim()).toBe(text);
    expect([...sizes].every((size) => size === mail.size)).toBe(true);
  });

  it('refuses a message over the size limit, permanently, and stores nothing', async () => {
    const send = sender.send({
      to: 'a@example.test',
      subject: 'big',
      text: 'x'.repeat(100 * 1024),
      messageId: 'big-1',
    });

    await expect(send).rejects.toMatchObject({ code: MailErrorCodes.rejected, retriable: false });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses an unusable address or header before connecting', async () => {
    const bad = (change: object) =>
      sender.send({ to: 'a@example.test', subject: 's', text: 't', messageId: 'm', ...change });

    await expect(bad({ to: 'not an address' })).rejects.toMatchObject({
      code: MailErrorCodes.invalidMessage,
      retriable: false,
      violations: [{ field: 'to', reason: expect.any(String) }],
    });
    await expect(bad({ to: 'a@example.test\r\nBcc: b@example.test' })).rejects.toThrow(RelateError);
    await expect(bad({ subject: 'one\r\nBcc: b@example.test' })).rejects.toThrow('subject');
    await expect(bad({ headers: { Bcc: 'b@example.test' } })).rejects.toThrow('headers');
    await expect(bad({ messageId: 'has blank' })).rejects.toThrow('messageId');
    expect(await catcher.messages()).toEqual([]);
  });
});

describe('MailSender without a server', () => {
  it('fails retriably, naming neither the address nor the credentials', async () => {
    // A port that was free a moment ago: nothing listens there.
    const server: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    await new Promise((resolve) => server.close(resolve));
    const warnings: unknown[] = [];
    const sender = new MailSender(
      { smtpUrl: `smtp://user:s3cret@127.0.0.1:${port}`, from: 'relate@localhost' },
      { connectionTimeoutMs: 2_000, logger: { ...silent, warn: (...args) => warnings.push(args) } },
    );

    const error = await sender
      .send({ to: 'ann@example.test', subject: 's', text: 't', messageId: 'm-1' })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    await sender.close();

    expect(error).toBeInstanceOf(RelateError);
    expect(error).toMatchObject({ code: MailErrorCodes.unavailable, retriable: true });
    const shown = JSON.stringify([
      (error as Error).message,
      (error as RelateError).details,
      warnings,
    ]);
    expect(shown).toContain('m-1@localhost');
    expect(shown).not.toContain('ann@example.test');
    expect(shown).not.toContain('s3cret');
  });
});

describe('MailSender against a refusing or silent server', () => {
  const servers: Array<{ close(callback: () => void): void }> = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(r))));
  });

  async function refusingServer(responseCode: number): Promise<string> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onRcptTo: (_address, _session, callback) =>
        callback(Object.assign(new Error('mailbox a@example.test says no'), { responseCode })),
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

    return `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  }

  const sendTo = async (smtpUrl: string, options = {}) => {
    const sender = new MailSender(
      { smtpUrl, from: 'relate@localhost' },
      { ...options, logger: silent },
    );
    try {
      await sender.send({ to: 'a@example.test', subject: 's', text: 't', messageId: 'm' });
    } catch (error) {
      return error as RelateError;
    } finally {
      await sender.close();
    }
    throw new Error('the send succeeded');
  };

  it('retries after a 4xx answer, not after a 5xx one, without the server text', async () => {
    const later = await sendTo(await refusingServer(451));
    const never = await sendTo(await refusingServer(550));

    expect(later).toMatchObject({ code: MailErrorCodes.unavailable, retriable: true });
    expect(never).toMatchObject({ code: MailErrorCodes.rejected, retriable: false });
    expect(never.details).toMatchObject({ responseCode: 550 });
    expect(never.message).not.toContain('a@example.test');
  });

  it('gives up on a server that never greets within the greeting timeout', async () => {
    const silentServer: Server = createServer(() => undefined);
    servers.push(silentServer);
    await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
    const { port } = silentServer.address() as AddressInfo;

    const error = await sendTo(`smtp://127.0.0.1:${port}`, { greetingTimeoutMs: 300 });

    expect(error).toMatchObject({ code: MailErrorCodes.unavailable, retriable: true });
  });
});
