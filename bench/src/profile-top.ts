import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `pnpm --filter bench profile:top <file.cpuprofile | folder> [count]`: the functions where a V8 CPU profile (node
 * --cpu-prof, as `pnpm bench --profile` writes for the API) spent its time, by self time, and the same time grouped
 * by package. Given a folder, it reads the largest profile in it: the main thread's (the other is tsx's loader).
 * The format is V8's (nodes with a callFrame and parent-to-child links, samples with time deltas); reading it is a
 * few lines, so no profile viewer is needed on a machine without a browser.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  selfMs: number;
  share: number;
}

/** Where a frame's code lives: a package name, node's own code, or our workspace folder. */
export function ownerOf(url: string): string {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return 'node';
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1]!;
  const plain = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (plain) return plain[1]!;
  const workspace = /\/(apps\/[^/]+|packages\/[^/]+|prisma|scripts)\//.exec(url);
  return workspace ? workspace[1]! : url;
}

export function summariseProfile(profile: CpuProfile): {
  total: number;
  byFunction: ProfileLine[];
  byOwner: ProfileLine[];
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const owner = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id)!;
    const file = callFrame.url
      .replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
      .replace(/^.*\/work\/[^/]+\//, '');
    const name = `${callFrame.functionName || '(anonymous)'} ${file}:${callFrame.lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    const who = ownerOf(callFrame.url);
    owner.set(who, (owner.get(who) ?? 0) + us);
  }
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / total }));
  return { total: total / 1000, byFunction: lines(fn), byOwner: lines(owner) };
}

function largestProfile(dir: string): string {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!files[0]) throw new Error(`no .cpuprofile in ${dir}`);
  return files[0];
}

const isMain = process.argv[1]?.endsWith('profile-top.ts');
if (isMain) {
  const [target, countText] = process.argv.slice(2).filter((a) => a !== '--');
  if (!target) {
    console.error('usage: pnpm --filter bench profile:top <file.cpuprofile | folder> [count]');
    process.exit(2);
  }
  const file = statSync(target).isDirectory() ? largestProfile(target) : target;
  console.log(file);
  const count = Number(countText ?? 30);
  const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const print = (title: string, rows: ProfileLine[]) => {
    console.log(`\n${title}`);
    for (const row of rows.slice(0, count)) {
      console.log(
        `${(row.share * 100).toFixed(1).padStart(5)}%  ${row.selfMs.toFixed(0).padStart(7)} ms  ${row.name}`,
      );
    }
  };
  console.log(`${summary.total.toFixed(0)} ms sampled`);
  print('by package (self time)', summary.byOwner);
  print('by function (self time)', summary.byFunction);
}
