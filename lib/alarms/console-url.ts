import { consoleBase } from '@/lib/cloud/console-url';

/** The CloudWatch console page of one alarm. */
export function alarmConsoleUrl(region: string, name: string): string {
  return `${consoleBase(region)}/cloudwatch/home?region=${encodeURIComponent(region)}#alarmsV2:alarm/${encodeURIComponent(name)}`;
}
