import 'server-only';
import { z } from 'zod';
import type { Actor } from '@/lib/identity/actor';

/** How Slack users are matched to portal users (docs/decisions/047-slack-approvals.md). */
export interface SlackDirectoryConfig {
  /** SLACK_USER_MAP: Slack user id -> portal e-mail; checked first. */
  userMap: ReadonlyMap<string, string>;
  /** SLACK_BOT_TOKEN: with it, a user not in the map is matched by the confirmed e-mail of users.info. */
  botToken?: string;
  /** SLACK_API_URL, e.g. https://slack.com/api */
  apiUrl: string;
  /** users.info must answer within this (Slack waits 3 s for the whole interaction). */
  timeoutMs?: number;
  /** The active portal user with this e-mail (lib/server/db/repositories/users.ts findActiveActorByEmail). */
  findUserByEmail: (email: string) => Promise<Actor | null>;
}

/** The portal user a Slack user is, or why none is: the reason is shown to that user only. */
export type SlackUserMatch = { actor: Actor } | { refused: string };

// The part of users.info's answer that is read (https://api.slack.com/methods/users.info).
const usersInfoSchema = z.object({
  ok: z.boolean(),
  error: z.string().optional(),
  user: z
    .object({
      deleted: z.boolean().optional(),
      is_bot: z.boolean().optional(),
      /** A Slack Connect user of another organisation, seen through a shared channel. */
      is_stranger: z.boolean().optional(),
      is_email_confirmed: z.boolean().optional(),
      profile: z.object({ email: z.string().optional() }).optional(),
    })
    .optional(),
});

/**
 * Matches a Slack user to an active portal user: by SLACK_USER_MAP, else (with a bot token) by the
 * e-mail Slack's users.info gives — only when Slack says the address is confirmed, and never for a
 * deleted account, a bot or a Slack Connect user of another organisation. No match is a refusal with the reason, never a guess.
 */
export async function findPortalUserForSlack(slackUserId: string, config: SlackDirectoryConfig): Promise<SlackUserMatch> {
  const mapped = config.userMap.get(slackUserId);
  if (mapped) {
    const actor = await config.findUserByEmail(mapped);
    return actor ? { actor } : { refused: `Your Slack account is mapped to ${mapped}, which is not an active Gatehouse user.` };
  }
  if (!config.botToken) {
    return {
      refused: `Gatehouse does not know who you are: ask an admin to map your Slack user id (${slackUserId}) in SLACK_USER_MAP, or to let Gatehouse match you by e-mail (SLACK_BOT_TOKEN).`,
    };
  }
  const email = await confirmedEmailOf(slackUserId, config);
  if ('refused' in email) return email;
  const actor = await config.findUserByEmail(email.email);
  return actor ? { actor } : { refused: 'No active Gatehouse user has the e-mail address of your Slack account.' };
}

async function confirmedEmailOf(slackUserId: string, config: SlackDirectoryConfig): Promise<{ email: string } | { refused: string }> {
  const unreachable = { refused: 'Gatehouse could not ask Slack who you are; try again, or decide in Gatehouse.' };
  let body: unknown;
  try {
    const response = await fetch(`${config.apiUrl.replace(/\/+$/, '')}/users.info?user=${encodeURIComponent(slackUserId)}`, {
      headers: { authorization: `Bearer ${config.botToken}` },
      signal: AbortSignal.timeout(config.timeoutMs ?? 1_500),
      redirect: 'error',
    });
    if (!response.ok) {
      // The token is a credential: the log names the status only.
      console.warn(`[slack] users.info answered ${response.status}`);
      return unreachable;
    }
    body = await response.json();
  } catch (e) {
    console.warn(`[slack] users.info failed: ${e instanceof Error ? e.name : 'unknown error'}`);
    return unreachable;
  }
  const parsed = usersInfoSchema.safeParse(body);
  // Not a member of the workspace whose bot token this is (e.g. a click from another workspace).
  if (parsed.success && parsed.data.error === 'user_not_found') return { refused: "Gatehouse's Slack workspace has no such member." };
  if (!parsed.success || !parsed.data.ok || !parsed.data.user) {
    console.warn(`[slack] users.info refused: ${parsed.success ? (parsed.data.error ?? 'no user') : 'unreadable answer'}`);
    return unreachable;
  }
  const user = parsed.data.user;
  const email = user.profile?.email?.trim();
  // Someone of another organisation (Slack Connect) confirmed their address with their own workspace, not ours.
  if (user.deleted || user.is_bot || user.is_stranger) return { refused: 'This Slack account cannot decide in Gatehouse.' };
  // An unconfirmed address is one anyone could have typed: it identifies nobody.
  if (!email || user.is_email_confirmed !== true) {
    return { refused: 'Your Slack account has no confirmed e-mail address, so Gatehouse cannot tell which of its users you are.' };
  }
  return { email: email.toLowerCase() };
}
