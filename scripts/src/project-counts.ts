import type { Reporter, TestModule } from 'vitest/node';

/**
 * A vitest reporter that ends a run with one line per test project (`integration: 728 passed`,
 * `integration-postgres: 608 passed` ...), so a run of several projects at once, as `pnpm test:integration` is, still
 * shows what each engine and mode passed; the summary above it counts them together.
 */
export class ProjectCounts implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = new Map<string, Record<string, number>>();
    for (const module of testModules) {
      const name = module.project.name || '(root)';
      const states = counts.get(name) ?? {};
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        states[state] = (states[state] ?? 0) + 1;
      }
      counts.set(name, states);
    }
    if (counts.size < 2) return;
    const lines = [...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, states]) => {
        const parts = Object.entries(states)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([state, count]) => `${count} ${state}`);
        return `  ${name}: ${parts.join(', ')}`;
      });
    process.stdout.write(`\n Tests per project\n${lines.join('\n')}\n`);
  }
}
