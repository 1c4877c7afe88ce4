import { Badge } from '@/components/ui/badge';
import type { Translate } from '@/lib/i18n/messages';

/** A break-glass review as recorded: outcome, reviewer, when, and the comment they left. */
export interface BreakGlassReviewView {
  outcome: 'ACKNOWLEDGED' | 'ESCALATED';
  reviewerName: string;
  createdAt: Date;
  comment: string;
}

/** The review of a break-glass use and its comment (the queue and the request page show the same). */
export function BreakGlassOutcome({ review, when, t }: { review: BreakGlassReviewView; when: (d: Date) => string; t: Translate }) {
  return (
    <div className="space-y-1 text-sm" data-testid="break-glass-outcome">
      <Badge tone={review.outcome === 'ESCALATED' ? 'danger' : 'ok'}>
        {t('breakGlassReview.done', { outcome: t(`access.outcome.${review.outcome}`), name: review.reviewerName, time: when(review.createdAt) })}
      </Badge>
      {review.comment ? (
        <p className="whitespace-pre-wrap" data-testid="break-glass-comment">
          “{review.comment}”
        </p>
      ) : (
        <p className="text-muted">{t('breakGlassReview.noComment')}</p>
      )}
    </div>
  );
}
