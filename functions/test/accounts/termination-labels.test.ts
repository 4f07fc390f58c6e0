import { customerMayCancel, TERMINATION_KIND_LABELS } from '../../src/accounts/termination-labels';

describe('termination wording for mails', () => {
  it.each([
    ['convenience', 'customer', true],
    ['convenience', 'provider', false],
    ['cause', 'provider', false],
    ['legal', 'provider', false],
    ['partner', 'provider', false],
    ['contract-end', 'provider', false],
    ['cause', 'customer', false],
  ] as const)('when a %s termination was started by the %s, then the customer may cancel it: %s (clause 3.1(a))', (kind, initiatedBy, expected) => {
    expect(customerMayCancel({ kind, initiatedBy })).toBe(expected);
  });

  it('when a termination kind is shown, then each language has its own non-empty label for every kind', () => {
    const { 'zh-TW': zh, en } = TERMINATION_KIND_LABELS;
    expect(Object.keys(zh)).toEqual(Object.keys(en));
    for (const kind of Object.keys(zh) as Array<keyof typeof zh>) {
      expect([zh[kind], en[kind]]).toEqual([expect.stringMatching(/\S/), expect.stringMatching(/\S/)]);
      expect(zh[kind]).not.toBe(en[kind]);
    }
  });
});
