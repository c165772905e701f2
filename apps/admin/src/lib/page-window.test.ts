import { describe, expect, it } from 'vitest';

import { pageWindow } from './page-window';

describe('pageWindow', () => {
  it.each<[number, number, (number | 'gap')[]]>([
    [0, 0, []],
    [0, 1, [0]],
    [0, 3, [0, 1, 2]],
    [0, 10, [0, 1, 2, 'gap', 9]],
    [5, 10, [0, 'gap', 3, 4, 5, 6, 7, 'gap', 9]],
    [9, 10, [0, 'gap', 7, 8, 9]],
    [3, 7, [0, 1, 2, 3, 4, 5, 6]],
  ])('page %i of %i', (index, count, expected) => {
    expect(pageWindow(index, count)).toEqual(expected);
  });
});
