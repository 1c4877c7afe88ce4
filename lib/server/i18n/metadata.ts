import 'server-only';
import type { Metadata } from 'next';
import type { MessageKey } from '@/lib/i18n/messages';
import { getTranslator } from '@/lib/server/i18n/locale';

/** A page's `generateMetadata`: its tab title in the reader's language (the layout adds "· Gatehouse"). */
export function pageTitle(key: MessageKey): () => Promise<Metadata> {
  return async () => ({ title: (await getTranslator()).t(key) });
}
