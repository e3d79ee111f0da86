import { safeMessageId } from './mail.catcher';
import { parseMail } from './mime';

describe(parseMail.name, () => {
  it('reads folded and encoded headers and a quoted-printable body', () => {
    const raw = [
      'From: Relate <relate@localhost>',
      'Subject: =?UTF-8?Q?R=C3=BCckruf_bei_?=',
      ' =?UTF-8?B?QWNtZQ==?=',
      'Message-ID: <r-1@localhost>',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Gr=C3=BC=C3=9Fe, a long line that was soft=',
      ' broken',
    ].join('\r\n');

    expect(parseMail(raw)).toEqual({
      headers: {
        from: 'Relate <relate@localhost>',
        subject: 'Rückruf bei Acme',
        'message-id': '<r-1@localhost>',
        'content-type': 'text/plain; charset=utf-8',
        'content-transfer-encoding': 'quoted-printable',
      },
      text: 'Grüße, a long line that was soft broken',
    });
  });

  it('finds the text and HTML parts of a multipart message', () => {
    const raw = [
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'plain',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<p>höhe</p>').toString('base64'),
      '--b1--',
      '',
    ].join('\r\n');

    expect(parseMail(raw)).toMatchObject({ text: 'plain', html: '<p>höhe</p>' });
  });
});

describe(safeMessageId.name, () => {
  it('keeps file names safe and never empty', () => {
    expect(safeMessageId('<reminder-1@relate.test>')).toBe('reminder-1@relate.test');
    expect(safeMessageId('<../../etc/passwd x@y>')).toBe('.._.._etc_passwd_x@y');
    expect(safeMessageId('a'.repeat(300))).toHaveLength(100);
    expect(safeMessageId(undefined)).toMatch(/^no-id-[0-9a-f-]{36}$/);
  });
});
