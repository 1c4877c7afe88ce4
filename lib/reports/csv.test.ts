import { describe, expect, it } from 'vitest';
import { encodeReportCsv, reportFileName } from '@/lib/reports/csv';

describe('report CSV', () => {
  it('writes a header and one CRLF line per row, empty cells for missing figures', () => {
    const csv = encodeReportCsv('time-to-approve', [
      {
        environment: 'PROD',
        type: 'SECRET_READ',
        requests: 6,
        decided: 5,
        firstP50Seconds: 180,
        firstP95Seconds: 528,
        finalP50Seconds: 600,
        finalP95Seconds: 2640,
      },
      {
        environment: 'STAGING',
        type: 'ROLE',
        requests: 1,
        decided: 0,
        firstP50Seconds: null,
        firstP95Seconds: null,
        finalP50Seconds: null,
        finalP95Seconds: null,
      },
    ]);
    expect(csv).toBe(
      'environment,type,requests,decided,first_decision_p50_seconds,first_decision_p95_seconds,final_decision_p50_seconds,final_decision_p95_seconds\r\n' +
        'PROD,SECRET_READ,6,5,180,528,600,2640\r\n' +
        'STAGING,ROLE,1,0,,,,\r\n',
    );
  });

  it('neutralises formula-like names and quotes commas (CSV injection)', () => {
    const csv = encodeReportCsv('break-glass', [
      {
        userId: 'u1',
        userName: '=HYPERLINK("http://evil.example")',
        teamId: 't1',
        teamName: 'Payments, EU',
        uses: 2,
        acknowledged: 1,
        escalated: 0,
        unreviewed: 1,
      },
    ]);
    expect(csv.split('\r\n')[1]).toBe(`u1,"'=HYPERLINK(""http://evil.example"")",t1,"Payments, EU",2,1,0,1`);
  });

  it("writes each grant's usage: when it was used, or why it is unknown", () => {
    const base = {
      environment: 'PROD' as const,
      kind: 'SECRET_READ' as const,
      userName: 'Minji Kim',
      teamName: 'Payments',
      principalArn: 'arn:aws:iam::1:user/m',
      resourceArn: 'arn:aws:secretsmanager:eu-central-1:1:secret:s',
      startsAt: new Date('2026-11-02T09:00:00Z'),
      endsAt: new Date('2026-11-02T11:00:00Z'),
      endedAt: new Date('2026-11-02T09:30:00Z'),
      endReason: 'GIVEN_BACK' as const,
      givenBackEarly: true,
    };
    const csv = encodeReportCsv('grants', {
      grants: [
        { ...base, id: 'g1', usage: { status: 'used', usedAt: new Date('2026-11-02T09:10:00Z'), eventName: 'GetSecretValue' } },
        { ...base, id: 'g2', usage: { status: 'unknown', reason: 'access-denied' } },
      ],
      omitted: 0,
      unavailable: [{ environment: 'PROD', reason: 'access-denied' }],
    });
    const [header, used, unknown] = csv.split('\r\n');
    expect(header).toBe(
      'grant_id,environment,kind,user,team,principal_arn,resource_arn,starts_at,ends_at,ended_at,end_reason,given_back_early,usage,used_at,use_event,usage_unknown_reason',
    );
    expect(used).toBe(
      'g1,PROD,SECRET_READ,Minji Kim,Payments,arn:aws:iam::1:user/m,arn:aws:secretsmanager:eu-central-1:1:secret:s,2026-11-02T09:00:00.000Z,2026-11-02T11:00:00.000Z,2026-11-02T09:30:00.000Z,GIVEN_BACK,true,used,2026-11-02T09:10:00.000Z,GetSecretValue,',
    );
    expect(unknown!.endsWith(',GIVEN_BACK,true,unknown,,,access-denied')).toBe(true);
  });

  it('names the download after the report and its days', () => {
    expect(reportFileName('approver-load', '2026-11-01', '2026-11-30')).toBe('gatehouse-approver-load-2026-11-01-2026-11-30.csv');
  });
});
