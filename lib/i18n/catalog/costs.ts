/** Strings of the costs pages. */
export const en = {
  'nav.costs': 'Costs',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'nav.costs': '비용',
};
