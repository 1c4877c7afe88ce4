import { Badge } from '@/components/ui/badge';
import type { RequestStatus } from '@/lib/access/model';
import type { Translate } from '@/lib/i18n/messages';

const TONE: Record<RequestStatus, 'neutral' | 'info' | 'ok' | 'warn' | 'danger'> = {
  PENDING: 'warn',
  APPROVED: 'ok',
  ACTIVE: 'ok',
  REJECTED: 'danger',
  CANCELLED: 'neutral',
  EXPIRED: 'neutral',
  ENDED: 'neutral',
};

export function StatusBadge({ status, t }: { status: RequestStatus; t: Translate }) {
  return (
    <Badge tone={TONE[status]} data-status={status}>
      {t(`access.status.${status}`)}
    </Badge>
  );
}

export function BreakGlassBadge({ t }: { t: Translate }) {
  return (
    <Badge tone="danger" data-testid="break-glass-flag">
      ⚠ {t('access.breakGlass')}
    </Badge>
  );
}
