/** Strings of the form layer (components/ui/field.tsx, docs/decisions/053-form-layer.md). */
export const en = {
  'forms.invalid': 'Some fields are not valid.',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'forms.invalid': '올바르지 않은 항목이 있습니다.',
};
