/** Strings of the deployments pages. */
export const en = {
  'nav.deployments': 'Deployments',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'nav.deployments': '배포',
};
