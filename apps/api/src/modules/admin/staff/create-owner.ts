import { parseArgs } from 'node:util';
import { AdminStaffCreateBody } from '@shop/contract';
import { applyMigrations, closeDb, createDb, describeLocation, Prisma } from '@shop/db';
import { inTransaction } from '../../../db';
import type { Env } from '../../../env';
import { hashPassword } from '../../../lib/password';
import { writeAudit } from '../audit/service';

/**
 * `pnpm admin:create-owner --username <name> --display-name <name>`: the first merchant account of a production
 * database (which gets no default account). The password is never an argument (it would sit in shell history and
 * in every process listing): it is typed at a hidden prompt, twice, or read from the first line of stdin when stdin
 * is not a terminal (`printf '%s\n' "$PASSWORD" | pnpm admin:create-owner ...`).
 *
 * Refuses when an owner already exists, unless `--another` says a further owner is meant. Exit codes: 0 created,
 * 1 refused (an owner exists, the username is taken), 2 bad usage or input.
 */

export interface CreateOwnerIo {
  out(text: string): void;
  err(text: string): void;
  /** Reads the password; `confirm` asks a person to type it again (the caller compares). */
  readPassword(prompt: string): Promise<string>;
  /** True when a person types at a terminal, so the password is asked for twice. */
  interactive: boolean;
}

const USAGE = `Usage: pnpm admin:create-owner --username <name> --display-name <name> [--another]

Creates a merchant owner account in the API's database (DATABASE_URL, else DATABASE_FILE / DATA_DIR; migrated first). The password
is asked for at a hidden prompt, or read from the first line of stdin when it is not a terminal; it is never
taken from the command line. Refuses when an owner exists, unless --another is given.

Exit codes: 0 created, 1 refused, 2 bad usage or input.
`;

export async function createOwnerCli(
  argv: readonly string[],
  loadEnv: () => Env,
  io: CreateOwnerIo,
): Promise<number> {
  let values: { username?: string; 'display-name'?: string; another?: boolean; help?: boolean };
  try {
    if (argv.some((arg) => /^--?(password|pass|pw|p)(=|$)/i.test(arg))) {
      io.err(
        'Passwords are never taken from the command line; you will be asked for it (or pipe it to stdin).\n',
      );
      return 2;
    }
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        username: { type: 'string' },
        'display-name': { type: 'string' },
        another: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!values.username || !values['display-name']) {
    io.err(`--username and --display-name are required.\n\n${USAGE}`);
    return 2;
  }

  const password = await io.readPassword('Password for the new owner: ');
  if (io.interactive && (await io.readPassword('Type it again: ')) !== password) {
    io.err('The two passwords differ; nothing was created.\n');
    return 2;
  }
  const parsed = AdminStaffCreateBody.safeParse({
    username: values.username,
    displayName: values['display-name'],
    password,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) io.err(`${issue.path.join('.')}: ${issue.message}\n`);
    return 2;
  }
  const input = parsed.data;

  const env = loadEnv();
  await applyMigrations(env.DATABASE);
  const db = createDb(env.DATABASE);
  try {
    const passwordHash = await hashPassword(input.password);
    const outcome = await inTransaction(db, async (tx) => {
      if (!values.another && (await tx.admin.count({ where: { role: 'owner' } })) > 0) return 'owner-exists';
      const admin = await tx.admin.create({
        data: { username: input.username, displayName: input.displayName, passwordHash, role: 'owner' },
      });
      await writeAudit(tx, {
        adminId: null,
        actorName: 'command line',
        action: 'staff.create',
        targetType: 'Admin',
        targetId: admin.id,
        beforeJson: null,
        afterJson: JSON.stringify({
          username: admin.username,
          displayName: admin.displayName,
          role: 'owner',
        }),
        ip: null,
      });
      return admin.id;
    });
    if (outcome === 'owner-exists') {
      io.err('An owner account exists already; pass --another to add a further owner.\n');
      return 1;
    }
    io.out(
      `Created owner "${input.username}" (${input.displayName}) in ${describeLocation(env.DATABASE)}.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      io.err(`The username "${input.username}" is taken.\n`);
      return 1;
    }
    throw error;
  } finally {
    await closeDb(db);
  }
}
