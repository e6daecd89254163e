import { TailorError } from '../core/errors.js';

/** Which numbers an option accepts: integers only, and a lower bound (`positive`: > 0, `nonNegative`: ≥ 0). */
export interface NumberRule {
  integer?: boolean;
  sign?: 'any' | 'positive' | 'nonNegative';
}

/** A commander parser for a numeric option `--name`: the number, or CONFIG_INVALID naming the option and the value. */
export function numberOption(name: string, rule: NumberRule = {}): (v: string) => number {
  const kind = rule.integer ? 'integer' : 'number';
  const want =
    rule.sign === 'positive'
      ? `a positive ${kind}`
      : rule.sign === 'nonNegative'
        ? `a non-negative ${kind}`
        : rule.integer
          ? 'an integer'
          : 'a number';
  return (v: string) => {
    const n = Number(v);
    const ok =
      v.trim() !== '' &&
      Number.isFinite(n) &&
      (!rule.integer || Number.isInteger(n)) &&
      (rule.sign === 'positive' ? n > 0 : rule.sign === 'nonNegative' ? n >= 0 : true);
    if (!ok) throw new TailorError('CONFIG_INVALID', `--${name} must be ${want}, got "${v}"`, { field: name });
    return n;
  };
}
