import {
  DEFAULT_RETENTION,
  SMART_POLICY,
  choiceOfRetention,
  customRetentionProblem,
  describePolicy,
  describeRetention,
  policyProblem,
  retentionOf,
  withinProblem,
} from './retention';

describe('retention', () => {
  it('accepts the policies the engine accepts', () => {
    for (const policy of [SMART_POLICY, '7D:0s', '1W:U', 'U:1M', '1D12h:1h', '1W:1D, 4W:1W,', '2Y:1M']) {
      expect(policyProblem(policy), policy).toBeNull();
    }
  });

  it('refuses what the engine refuses, saying why', () => {
    expect(policyProblem('')).toBe('Write at least one pair like 1W:1D');
    expect(policyProblem('1W')).toBe('"1W" should be one pair like 4W:1W');
    expect(policyProblem('1w:1D')).toMatch(/^"w" in "1w" is not a unit/);
    expect(policyProblem('1W:D')).toMatch(/needs a unit after every number|"D" needs/);
    expect(policyProblem('4W:1W,1W:1D')).toBe(
      'List the periods from shortest to longest: "1W:1D" cannot follow "4W:1W"',
    );
    expect(policyProblem('U:1D,1Y:1M')).toMatch(/cannot follow "U:1D"/);
    expect(policyProblem('1D:1W')).toBe('In "1D:1W" the gap between backups must be shorter than the period');
    expect(policyProblem('0D:1h')).toBe('The period of "0D:1h" is zero');
  });

  it('tells months from minutes by case, as the engine does', () => {
    expect(policyProblem('12M:1m')).toBeNull();
    expect(policyProblem('12m:1M')).toMatch(/gap between backups must be shorter/);
  });

  it('describes a policy in words', () => {
    expect(describePolicy(SMART_POLICY)).toBe(
      'for a week keep one per day; for 4 weeks one per week; for 12 months one per month',
    );
    expect(describePolicy('7D:0s,U:1M')).toBe('for 7 days keep every backup; after that one per month');
    expect(describePolicy('1D12h:2h')).toBe('for a day and 12 hours keep one every 2 hours');
  });

  it('checks a keep-within period in restic units (m is months)', () => {
    expect(withinProblem('30d')).toBeNull();
    expect(withinProblem('6m')).toBeNull();
    expect(withinProblem('1y6m')).toBeNull();
    expect(withinProblem('')).toBe('Enter a period like 30d, 6m or 1y');
    expect(withinProblem('30')).toMatch(/needs a unit/);
    expect(withinProblem('2w')).toMatch(/"w" in "2w" is not a unit/);
    expect(withinProblem('0d')).toBe('The period cannot be zero: it would keep nothing');
  });

  it('maps each choice to the API and back', () => {
    expect(retentionOf(DEFAULT_RETENTION)).toEqual({ policy: SMART_POLICY });
    expect(retentionOf({ ...DEFAULT_RETENTION, preset: 'last', keepLast: 7 })).toEqual({ keepLast: 7 });
    expect(retentionOf({ ...DEFAULT_RETENTION, preset: 'within', within: ' 6m ' })).toEqual({
      keepWithin: '6m',
    });
    expect(retentionOf({ ...DEFAULT_RETENTION, preset: 'all' })).toBeNull();
    const custom = {
      ...DEFAULT_RETENTION,
      preset: 'custom' as const,
      policy: '',
      keepDaily: 7,
      keepYearly: 0,
    };
    expect(retentionOf(custom)).toEqual({ keepDaily: 7 });
    expect(choiceOfRetention({ keepDaily: 7 })).toMatchObject({ preset: 'custom', keepDaily: 7 });
    expect(choiceOfRetention({ policy: SMART_POLICY }).preset).toBe('smart');
    expect(choiceOfRetention({ keepLast: 3 })).toMatchObject({ preset: 'last', keepLast: 3 });
    expect(choiceOfRetention({ keepWithin: '1y' })).toMatchObject({ preset: 'within', within: '1y' });
    expect(choiceOfRetention(null).preset).toBe('all');
  });

  it('refuses a custom choice that keeps nothing', () => {
    const empty = { ...DEFAULT_RETENTION, preset: 'custom' as const };
    expect(customRetentionProblem(empty)).toBe('Give at least one rule, or choose "Keep everything"');
    expect(customRetentionProblem({ ...empty, keepMonthly: 12 })).toBeNull();
  });

  it('describes a retention for the summary', () => {
    expect(describeRetention(null)).toBe('Keep every backup: nothing is ever deleted');
    expect(describeRetention({ keepLast: 5 })).toBe('Keep the last 5 backups');
    expect(describeRetention({ keepWithin: '6m' })).toBe('Keep every backup from the last 6 months');
    expect(describeRetention({ keepDaily: 7, keepMonthly: 12 })).toBe(
      'Keep one per day for the last 7 days; keep one per month for the last 12 months',
    );
  });
});
