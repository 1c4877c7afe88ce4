/** Strings of the alarms pages. */
export const en = {
  'nav.alarms': 'Alarms',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'nav.alarms': '알람',
};
