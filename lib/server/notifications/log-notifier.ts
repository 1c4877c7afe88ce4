import 'server-only';
import type { NotifierPort } from '@/lib/notifications/ports';

/**
 * Used when no SLACK_WEBHOOK_URL is set: one log line per notification. The rendered text holds
 * names, ids and a link only (lib/notifications/slack-message.ts), so it is safe to log.
 */
export function createLogNotifier(log: (line: string) => void = (line) => console.info(line)): NotifierPort {
  return {
    async send(payload) {
      log(`[notifications] (no SLACK_WEBHOOK_URL; logged only) ${payload.text.replace(/\s+/g, ' ')}`);
    },
  };
}
