import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BACKEND_SERVICES, servicePortVariable } from '@relate/config';
import { MailSender, readCaughtMail } from '@relate/mail';

import { REPO_ROOT } from './start.config';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

async function until(
  condition: () => boolean,
  what: string,
  timeoutMs: number,
  probe?: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (await probe?.(); !condition(); await probe?.()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('npm start', () => {
  const parent = mkdtempSync(join(tmpdir(), 'relate-npm-start-'));
  const dataDir = join(parent, '.data');
  let env: NodeJS.ProcessEnv;
  let gateway: string;
  let smtpPort: number;
  let companyId: string;

  const start = async (): Promise<Started> => {
    let output = '';
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'tools/start/src/main.ts'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await until(() => output.includes('Relate is running'), 'the stack', 150_000);
    } catch (error) {
      // A stack that never came up must not outlive the test holding its ports.
      child.kill('SIGTERM');
      await exited;
      throw new Error(`${(error as Error).message}; its output:\n${output.slice(-4000)}`);
    }

    return { child, output: () => output, exited };
  };

  beforeAll(async () => {
    // PostgreSQL runs as its own user when the tests run as root: it must reach the folder.
    chmodSync(parent, 0o755);
    const [pg, broker, smtp, gatewayPort, ...servicePorts] = await Promise.all(
      Array.from({ length: 4 + BACKEND_SERVICES.length }, freePort),
    );
    smtpPort = smtp;
    gateway = `http://127.0.0.1:${gatewayPort}`;
    const {
      DATABASE_URL: _db,
      KAFKA_BROKERS: _kafka,
      RELATE_API_KEYS: _keys,
      SMTP_URL: _smtp,
      ...rest
    } = process.env;
    env = {
      ...rest,
      RELATE_DATA_DIR: dataDir,
      RELATE_PG_PORT: String(pg),
      RELATE_BROKER_PORT: String(broker),
      RELATE_SMTP_PORT: String(smtpPort),
      PORT: String(gatewayPort),
      ...Object.fromEntries(
        BACKEND_SERVICES.map((service, index) => [
          servicePortVariable(service),
          String(servicePorts[index]),
        ]),
      ),
    };
  });

  afterAll(() => {
    rmSync(parent, { recursive: true, force: true });
  });

  it('runs everything, answers with the development key, and stops in order', async () => {
    const stack = await start();
    try {
      const key = readFileSync(join(dataDir, 'dev-api-key'), 'utf8').trim();
      const health = await fetch(`${gateway}/api/v1/health`);
      const withKey = await fetch(`${gateway}/api/v1/pipelines`, { headers: { 'x-api-key': key } });
      const withoutKey = await fetch(`${gateway}/api/v1/pipelines`);
      const created = await fetch(`${gateway}/api/v1/companies`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Kept Across Restarts' }),
      });
      companyId = ((await created.json()) as { id: string }).id;
      const sender = new MailSender({
        smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
        from: 'relate@localhost',
      });
      const sent = await sender
        .send({ to: 'rep@example.test', subject: 'caught', text: 'hi', messageId: 'e2e-1' })
        .finally(() => sender.close());
      const caught = readdirSync(join(dataDir, 'mail'));

      expect(health.status).toBe(200);
      expect(withKey.status).toBe(200);
      expect(withoutKey.status).toBe(401);
      expect(created.status).toBe(201);
      expect(sent.accepted).toBe(true);
      expect(caught).toHaveLength(1);
      const mail = await readCaughtMail(join(dataDir, 'mail', caught[0]));
      expect(mail).toMatchObject({ messageId: '<e2e-1@localhost>', subject: 'caught' });
      expect(stack.output()).toContain(`API key  ${key}`);
      expect(stack.output()).toContain(`mail     caught in ${dataDir}/mail/`);
      for (const name of ['postgres', 'broker', 'mail', ...BACKEND_SERVICES, 'gateway']) {
        expect(stack.output()).toMatch(new RegExp(`^${name} +\\| `, 'm'));
      }
    } finally {
      stack.child.kill('SIGTERM');
    }

    expect(await stack.exited).toBe(0);
    const stopping = stack.output().split('SIGTERM: stopping')[1];
    const order = [
      'stopping the services',
      'stopping the mail catcher',
      'stopping the broker',
      'stopping PostgreSQL',
      'stopped',
    ];
    const positions = order.map((line) => stopping.indexOf(`| ${line}`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  }, 240_000);

  it('finds the data and the key of the first run', async () => {
    const key = readFileSync(join(dataDir, 'dev-api-key'), 'utf8').trim();
    const stack = await start();
    try {
      let company: { name?: string } = {};
      await until(
        () => company.name !== undefined,
        'the company of the first run',
        10_000,
        async () => {
          const answer = await fetch(`${gateway}/api/v1/companies/${companyId}`, {
            headers: { 'x-api-key': key },
          });
          if (answer.ok) company = (await answer.json()) as { name: string };
        },
      );

      expect(company.name).toBe('Kept Across Restarts');
      expect(stack.output()).toContain(`API key  ${key}  (from`);
    } finally {
      stack.child.kill('SIGTERM');
    }

    expect(await stack.exited).toBe(0);
  }, 240_000);
});
