import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './system';

// scripts/bootstrap.sh's Node check, run for real (`--check-node` stops after it) with a fake `node` first on PATH
// that reports the version under test.
const script = join(REPO_ROOT, 'scripts/bootstrap.sh');
const engines = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
).engines.node;
const required = engines.replace(/^>=\s*/, '');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function fakeBin(nodeVersion: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'shop-bootstrap-'));
  dirs.push(dir);
  // Only what the check itself uses; without a node here, none is found.
  for (const tool of ['dirname', 'sed', 'head']) symlinkSync(`/usr/bin/${tool}`, join(dir, tool));
  if (nodeVersion !== null) {
    writeFileSync(join(dir, 'node'), `#!/bin/sh\necho ${nodeVersion}\n`);
    chmodSync(join(dir, 'node'), 0o755);
  }
  return dir;
}

function checkNode(nodeVersion: string | null) {
  const result = spawnSync('/bin/bash', [script, '--check-node'], {
    env: { PATH: fakeBin(nodeVersion) },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bootstrap.sh checks the Node version before anything else', () => {
  it('reads the requirement from package.json engines.node', () => {
    expect(engines).toMatch(/^>=\d+\.\d+(\.\d+)?$/);
  });

  it.each(['v18.20.4', 'v20.0.0', 'v20.18.9', 'v19.99.99'])(
    'refuses %s, saying what to install',
    (version) => {
      const result = checkNode(version);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`needs Node.js ${required} or newer`);
      expect(result.stderr).toContain(`but node is ${version}`);
      expect(result.stderr).toContain(`install Node.js ${required} or newer`);
      expect(result.stdout).toBe('');
    },
  );

  it.each(['v20.19.0', 'v20.19.1', 'v20.20.2', 'v22.1.0', 'v24.0.0'])('accepts %s', (version) => {
    const result = checkNode(version);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`satisfies engines.node >=${required}`);
  });

  it('says to install Node when there is none', () => {
    const result = checkNode(null);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Node.js ${required} or newer is needed and no node was found`);
  });

  it('accepts the node running these tests (the workspace runs on it)', () => {
    const result = spawnSync('/bin/bash', [script, '--check-node'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
