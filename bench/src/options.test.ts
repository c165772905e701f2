import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, parseBenchArgs } from './options';

describe('parseBenchArgs', () => {
  it('runs one API process, straight, by default', () => {
    const options = parseBenchArgs([]);
    expect(options).toMatchObject({ apiProcesses: 1, proxy: false, db: 'sqlite' });
    expect(options).toEqual({ ...DEFAULT_OPTIONS, help: false });
  });

  it('puts one API process behind the proxy with --proxy', () => {
    expect(parseBenchArgs(['--proxy'])).toMatchObject({ apiProcesses: 1, proxy: true });
  });

  it('runs more than one API process behind the proxy, --proxy or not', () => {
    expect(parseBenchArgs(['--db', 'postgres', '--api-processes', '2'])).toMatchObject({
      db: 'postgres',
      apiProcesses: 2,
      proxy: true,
    });
    expect(parseBenchArgs(['--api-processes', '3', '--proxy'])).toMatchObject({
      apiProcesses: 3,
      proxy: true,
    });
    expect(parseBenchArgs(['--api-processes', '1'])).toMatchObject({ apiProcesses: 1, proxy: false });
  });

  it('refuses an API process count that is not a whole number of at least 1', () => {
    for (const count of ['0', '-1', '1.5', 'two', '']) {
      expect(() => parseBenchArgs([`--api-processes=${count}`]), count).toThrow(
        /--api-processes must be a whole number >= 1/,
      );
    }
  });

  it('refuses a flag it does not know', () => {
    expect(() => parseBenchArgs(['--api-process', '2'])).toThrow(/Unknown option '--api-process'/);
  });

  it('still reads the other flags', () => {
    expect(
      parseBenchArgs(['--duration', '2', '--warmup', '1', '--connections', '10', '--log-level', 'warn']),
    ).toMatchObject({ durationSec: 2, warmupSec: 1, connections: 10, logLevel: 'warn' });
  });
});
