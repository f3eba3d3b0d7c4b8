import { describe, expect, it } from 'vitest';
import { NO_PLANNER } from '../../src/fix/no-planner.js';
import { rules } from '../../src/rules/index.js';

describe('fix planners and the catalog', () => {
  it('every rule has a planner or a reason, never both, and NO_PLANNER names only real rules', () => {
    for (const rule of rules) {
      const reason = NO_PLANNER[rule.id];
      expect(rule.fix === undefined ? reason : 'has a planner', rule.id).toBeTruthy();
      if (rule.fix) expect(reason, `${rule.id} has a planner and a NO_PLANNER reason`).toBeUndefined();
      else expect(reason!.length).toBeGreaterThan(20);
    }
    const ids = new Set(rules.map((r) => r.id));
    expect(Object.keys(NO_PLANNER).filter((id) => !ids.has(id))).toEqual([]);
  });
});
