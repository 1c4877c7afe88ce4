/** Strings of the audit pages. */
export const en = {
} as const;

export const ko: Record<keyof typeof en, string> = {
};
