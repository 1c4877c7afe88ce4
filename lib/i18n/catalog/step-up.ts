/** Strings of the prod step-up: a recent sign-in before deciding on prod (docs/decisions/046-step-up.md). */
export const en = {
  'stepUp.title': 'Confirm it’s you',
  'stepUp.intro': 'Deciding on a prod request needs a sign-in from the last {minutes} minutes. Yours is older.',
  'stepUp.local': 'Confirm that you are {name}: your session is issued again with a new sign-in time. The confirmation is recorded.',
  'stepUp.local.confirm': 'Confirm, I am {name}',
  'stepUp.sso': 'Sign in again at {provider}; you come back to this request.',
  'stepUp.sso.confirm': 'Sign in again with {provider}',
  'stepUp.done': 'Confirmed. You can decide now.',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'stepUp.title': '본인 확인',
  'stepUp.intro': '운영(prod) 요청을 결정하려면 최근 {minutes}분 이내에 로그인해야 합니다. 현재 로그인은 그보다 오래되었습니다.',
  'stepUp.local': '{name} 본인임을 확인하세요. 새 로그인 시각으로 세션이 다시 발급되며, 확인 내역은 기록됩니다.',
  'stepUp.local.confirm': '{name} 본인임을 확인',
  'stepUp.sso': '{provider}에서 다시 로그인하세요. 로그인 후 이 요청으로 돌아옵니다.',
  'stepUp.sso.confirm': '{provider}(으)로 다시 로그인',
  'stepUp.done': '확인되었습니다. 이제 결정할 수 있습니다.',
};
