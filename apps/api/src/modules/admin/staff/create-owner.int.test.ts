import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closeDb, createDb } from '@shop/db';
import { createTestDatabase, type TestDatabase } from '@shop/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../../env';
import { verifyPassword } from '../../../lib/password';
import { createOwnerCli } from './create-owner';

/** The first-owner command, on a fresh database: as a function with scripted input, and as a process. */

const REPO_ROOT = resolve(import.meta.dirname, '../../../../../..');
let dataDir: string;
let database: TestDatabase;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'shop-owner-'));
  // Not migrated: the command migrates the database it is given, as it would a new server's.
  database = await createTestDatabase({ dir: dataDir, migrate: false });
});
afterAll(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const envVars = () => ({
  NODE_ENV: 'test',
  DATA_DIR: dataDir,
  DATABASE_URL: database.location.url,
  LOG_LEVEL: 'silent',
});
const env = () => loadEnv(envVars());

async function run(args: string[], passwords: string[], interactive = true) {
  let out = '';
  let err = '';
  const asked: string[] = [];
  const code = await createOwnerCli(args, env, {
    out: (text) => (out += text),
    err: (text) => (err += text),
    readPassword: (prompt) => {
      asked.push(prompt);
      return Promise.resolve(passwords.shift() ?? '');
    },
    interactive,
  });
  return { code, out, err, asked };
}

async function admins() {
  const db = createDb(env().DATABASE);
  try {
    return await db.admin.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  } finally {
    await closeDb(db);
  }
}

describe('pnpm admin:create-owner', () => {
  it('refuses a password on the command line, missing names, bad input and differing passwords', async () => {
    for (const args of [
      ['--username', 'boss', '--display-name', '老板', '--password', 'secret-secret'],
      ['--username', 'boss', '--display-name', '老板', '--password=secret-secret'],
      ['--username', 'boss', '--display-name', '老板', '-p', 'secret-secret'],
    ]) {
      const res = await run(args, []);
      expect(res.code).toBe(2);
      expect(res.err).toContain('never taken from the command line');
      expect(res.asked).toEqual([]);
    }
    expect((await run(['--username', 'boss'], [])).code).toBe(2);
    expect(
      (await run(['--username', 'boss', '--display-name', '老板', '--role', 'owner'], [])).err,
    ).toContain("Unknown option '--role'");
    const short = await run(['--username', 'boss', '--display-name', '老板'], ['short', 'short']);
    expect(short).toMatchObject({ code: 2 });
    expect(short.err).toContain('password');
    const differ = await run(
      ['--username', 'boss', '--display-name', '老板'],
      ['first password 1', 'second password 2'],
    );
    expect(differ.code).toBe(2);
    expect(differ.err).toContain('differ');
    expect((await run(['--help'], [])).out).toContain('Usage: pnpm admin:create-owner');
  });

  it('creates the first owner with a scrypt hash and an audit row, then refuses a second unless asked', async () => {
    const first = await run(
      ['--username', 'Boss', '--display-name', '老板'],
      ['a long owner password', 'a long owner password'],
    );
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.asked).toEqual(['Password for the new owner: ', 'Type it again: ']);
    const [owner] = await admins();
    expect(owner).toMatchObject({ username: 'boss', displayName: '老板', role: 'owner', active: true });
    expect(await verifyPassword('a long owner password', owner!.passwordHash)).toBe(true);
    const db = createDb(env().DATABASE);
    try {
      const audit = await db.auditLog.findFirstOrThrow({ where: { targetId: owner!.id } });
      expect(audit).toMatchObject({ action: 'staff.create', adminId: null, actorName: 'command line' });
      expect(audit.afterJson).not.toContain('password');
    } finally {
      await closeDb(db);
    }

    const second = await run(
      ['--username', 'boss2', '--display-name', '二老板'],
      ['another long password'],
      false,
    );
    expect(second.code).toBe(1);
    expect(second.err).toContain('--another');
    const taken = await run(
      ['--username', 'boss', '--display-name', '重名', '--another'],
      ['another long password'],
      false,
    );
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('taken');
    const another = await run(
      ['--username', 'boss2', '--display-name', '二老板', '--another'],
      ['another long password'],
      false,
    );
    expect(another.code).toBe(0);
    // Without a terminal the password is read once, not confirmed.
    expect(another.asked).toHaveLength(1);
    expect((await admins()).map((a) => a.username)).toEqual(['boss', 'boss2']);
  });

  it('runs from its entry file and reads the password from stdin', async () => {
    const child = spawn(
      resolve(REPO_ROOT, 'node_modules/.bin/tsx'),
      ['apps/api/src/cli/create-owner.ts', '--username', 'piped', '--display-name', '管道', '--another'],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH, ...envVars() },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdin.end('piped owner password\nignored second line\n');
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('Created owner "piped"');
    expect(out).not.toContain('piped owner password');
    const piped = (await admins()).find((a) => a.username === 'piped')!;
    expect(await verifyPassword('piped owner password', piped.passwordHash)).toBe(true);
  });
});
