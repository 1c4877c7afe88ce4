/** Series colours, one per service (stable by position in the stacking order). */
export const SERIES_COLORS = ['#1d4ed8', '#b45309', '#15803d', '#7c3aed', '#be123c', '#0e7490', '#4d7c0f', '#a21caf', '#475569', '#c2410c'];
