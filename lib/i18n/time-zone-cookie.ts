/**
 * Where the reader's time zone is remembered (docs/decisions/048-time-zone-policy.md): `gh_tz` holds
 * the IANA zone; `gh_tz_pinned` is set when the user chose a zone in the user menu, so that the
 * browser's own zone no longer replaces it.
 */
export const TIME_ZONE_COOKIE = 'gh_tz';
export const TIME_ZONE_PINNED_COOKIE = 'gh_tz_pinned';
