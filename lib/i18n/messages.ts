/** Supported UI languages; English is the fallback. */
export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

const en = {
  'app.name': 'Gatehouse',
  'app.tagline': 'Self-service access, alarms, costs and deployments for your AWS platform',
  'nav.home': 'Home',
  'nav.admin': 'Users & teams',
  'nav.main': 'Main navigation',
  'shell.skipToContent': 'Skip to content',
  'shell.signOut': 'Sign out',
  'shell.signedInAs': 'Signed in as {name}',
  'shell.userMenu': 'Account menu',
  'shell.language': 'Language',
  'shell.openMenu': 'Open navigation',
  'account.sandbox': 'Local sandbox account',
  'account.aws': 'AWS account {accountId}',
  'account.unavailable': 'AWS account unavailable',
  'role.ENGINEER': 'Engineer',
  'role.SECURITY': 'Security',
  'role.OPS': 'Ops',
  'role.ADMIN': 'Admin',
  'home.title': 'Welcome, {name}',
  'home.yourTeams': 'Your teams',
  'home.noTeams': 'You are not in a team yet. Ask an admin to add you.',
  'home.yourRoles': 'Your roles',
  'home.lead': 'lead',
  'home.status': 'System status',
  'home.cloud': 'Cloud account',
  'home.region': 'Region',
  'home.sections': 'What you can do here',
  'home.section.admin': 'Manage who can use the portal and in which role.',
  'home.comingSoon': 'Access requests, alarms, costs and deployments arrive as they are built.',
  'health.ok': 'All systems operational',
  'health.fail': 'Degraded',
  'health.check.database': 'Database',
  'health.check.aws': 'AWS (STS)',
  'health.latency': '{ms} ms',
  'health.loading': 'Checking…',
  'health.unreachable': 'Health check unreachable',
  'health.updated': 'updated {seconds} s ago',
  'signin.title': 'Sign in to Gatehouse',
  'signin.localNotice': 'Local mode: pick a seeded user to sign in as. This page is for development and demos only.',
  'signin.as': 'Sign in as {name}',
  'signin.sso': 'Sign in with {provider}',
  'signin.error': 'Sign-in failed: {reason}',
  'signin.error.generic': 'the user could not be signed in. Try again or ask an admin.',
  'signin.noUsers': 'No users yet. Start the portal once so that it seeds its demo users.',
  'admin.title': 'Users & teams',
  'admin.users': 'Users',
  'admin.teams': 'Teams',
  'admin.col.name': 'Name',
  'admin.col.email': 'Email',
  'admin.col.roles': 'Roles',
  'admin.col.teams': 'Teams',
  'admin.col.lastLogin': 'Last sign-in',
  'admin.col.members': 'Members',
  'admin.never': 'never',
  'admin.save': 'Save roles',
  'admin.saved': 'Roles saved.',
  'admin.rolesFor': 'Roles of {name}',
  'error.title': 'Something went wrong',
  'error.body': 'The error was recorded. Try again; if it persists, tell the platform team (reference {digest}).',
  'error.retry': 'Try again',
  'notFound.title': 'Page not found',
  'notFound.body': 'There is nothing at this address.',
  'forbidden.title': 'Not allowed',
  'forbidden.body': 'Your roles do not allow this page. Ask an admin if you need it.',
  'common.backHome': 'Back to the start page',
} as const;

export type MessageKey = keyof typeof en;
type Catalog = Record<MessageKey, string>;

const ko: Catalog = {
  'app.name': 'Gatehouse',
  'app.tagline': 'AWS 플랫폼을 위한 셀프서비스 접근 권한, 알람, 비용, 배포',
  'nav.home': '홈',
  'nav.admin': '사용자 및 팀',
  'nav.main': '주 메뉴',
  'shell.skipToContent': '본문으로 건너뛰기',
  'shell.signOut': '로그아웃',
  'shell.signedInAs': '{name}(으)로 로그인됨',
  'shell.userMenu': '계정 메뉴',
  'shell.language': '언어',
  'shell.openMenu': '메뉴 열기',
  'account.sandbox': '로컬 샌드박스 계정',
  'account.aws': 'AWS 계정 {accountId}',
  'account.unavailable': 'AWS 계정에 연결할 수 없음',
  'role.ENGINEER': '엔지니어',
  'role.SECURITY': '보안',
  'role.OPS': '운영',
  'role.ADMIN': '관리자',
  'home.title': '{name}님, 환영합니다',
  'home.yourTeams': '소속 팀',
  'home.noTeams': '아직 소속된 팀이 없습니다. 관리자에게 요청하세요.',
  'home.yourRoles': '내 역할',
  'home.lead': '리드',
  'home.status': '시스템 상태',
  'home.cloud': '클라우드 계정',
  'home.region': '리전',
  'home.sections': '여기서 할 수 있는 일',
  'home.section.admin': '포털 사용자와 역할을 관리합니다.',
  'home.comingSoon': '접근 요청, 알람, 비용, 배포 기능이 순차적으로 추가됩니다.',
  'health.ok': '모든 시스템 정상',
  'health.fail': '일부 장애',
  'health.check.database': '데이터베이스',
  'health.check.aws': 'AWS (STS)',
  'health.latency': '{ms} ms',
  'health.loading': '확인 중…',
  'health.unreachable': '상태 확인에 연결할 수 없음',
  'health.updated': '{seconds}초 전 갱신',
  'signin.title': 'Gatehouse 로그인',
  'signin.localNotice': '로컬 모드: 로그인할 시드 사용자를 선택하세요. 개발 및 데모 전용 페이지입니다.',
  'signin.as': '{name}(으)로 로그인',
  'signin.sso': '{provider}(으)로 로그인',
  'signin.error': '로그인 실패: {reason}',
  'signin.error.generic': '로그인할 수 없습니다. 다시 시도하거나 관리자에게 문의하세요.',
  'signin.noUsers': '사용자가 없습니다. 포털을 한 번 시작하면 데모 사용자가 생성됩니다.',
  'admin.title': '사용자 및 팀',
  'admin.users': '사용자',
  'admin.teams': '팀',
  'admin.col.name': '이름',
  'admin.col.email': '이메일',
  'admin.col.roles': '역할',
  'admin.col.teams': '팀',
  'admin.col.lastLogin': '최근 로그인',
  'admin.col.members': '구성원',
  'admin.never': '없음',
  'admin.save': '역할 저장',
  'admin.saved': '역할을 저장했습니다.',
  'admin.rolesFor': '{name}의 역할',
  'error.title': '문제가 발생했습니다',
  'error.body': '오류가 기록되었습니다. 다시 시도하고, 계속되면 플랫폼 팀에 알려주세요 (참조 {digest}).',
  'error.retry': '다시 시도',
  'notFound.title': '페이지를 찾을 수 없습니다',
  'notFound.body': '이 주소에는 아무것도 없습니다.',
  'forbidden.title': '권한 없음',
  'forbidden.body': '현재 역할로는 이 페이지를 볼 수 없습니다. 필요하면 관리자에게 요청하세요.',
  'common.backHome': '시작 페이지로 돌아가기',
};

export const MESSAGES: Record<Locale, Catalog> = { en, ko };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A translator for one locale; `{name}` placeholders are filled from vars. */
export function createTranslator(locale: Locale): Translate {
  const catalog = MESSAGES[locale];
  return (key, vars) => {
    const text = catalog[key] ?? en[key];
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}

/** True when value is a supported locale. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Picks the best supported locale from an Accept-Language header (q-values honoured). */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { base: tag.toLowerCase().split('-')[0] ?? '', quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((c) => c.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((c) => c.base).find(isLocale) ?? DEFAULT_LOCALE;
}
