/** Strings of a plan's release (docs/decisions/042-releases.md) added by s9-release: the zip's hash in the code diff, the label the release sets. */
export const en = {
  'release.code.ref': 'release {id} (sha256 {sha})',
  'release.label.setByRelease': 'Set by the release the plan deploys: it names that release and cannot be typed.',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'release.code.ref': '릴리스 {id} (sha256 {sha})',
  'release.label.setByRelease': '계획이 배포하는 릴리스가 정합니다. 그 릴리스의 이름이며 직접 입력할 수 없습니다.',
};
