import { describe, expect, it } from 'vitest';
import { countdownText } from './countdown';

describe('countdownText', () => {
  it('shows minutes and seconds left, rounding up, and zero once past', () => {
    expect(countdownText(300_000, 0)).toBe('5:00');
    expect(countdownText(61_001, 0)).toBe('1:02');
    expect(countdownText(9_500, 0)).toBe('0:10');
    expect(countdownText(1_000, 2_000)).toBe('0:00');
  });
});
