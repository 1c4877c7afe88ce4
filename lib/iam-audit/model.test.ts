import { describe, expect, it } from 'vitest';
import { decodePolicyDocument, isAwsManagedPolicyArn, listOf, parseArn, statementsOf } from '@/lib/iam-audit/model';

/** How IAM returns a policy document: RFC 3986 URL-encoding of the JSON as it was stored. */
function iamEncoded(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

describe('decodePolicyDocument', () => {
  const document = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*', '100%'] } } }],
  };

  it('decodes IAM URL-encoded JSON (RFC 3986, as GetAccountAuthorizationDetails returns it)', () => {
    const encoded = iamEncoded(JSON.stringify(document, null, 2));
    expect(encoded.startsWith('%7B')).toBe(true);
    expect(decodePolicyDocument(encoded)).toEqual(document);
  });

  it('accepts plain JSON as it is, even with a % in it (some AWS-compatible endpoints do not encode)', () => {
    expect(decodePolicyDocument(JSON.stringify(document))).toEqual(document);
  });

  it('refuses what is neither', () => {
    expect(() => decodePolicyDocument('%E0%A4%A')).toThrow('neither URL-encoded nor plain JSON');
    expect(() => decodePolicyDocument(iamEncoded('not json'))).toThrow('not JSON once URL-decoded');
    expect(() => decodePolicyDocument(iamEncoded('[1,2]'))).toThrow('not JSON once URL-decoded');
  });
});

describe('document helpers', () => {
  it('read single statements and single strings as lists', () => {
    expect(statementsOf({ Statement: { Effect: 'Allow', Action: '*' } })).toEqual([{ Effect: 'Allow', Action: '*' }]);
    expect(statementsOf({})).toEqual([]);
    expect(listOf('a')).toEqual(['a']);
    expect(listOf(['a', 'b'])).toEqual(['a', 'b']);
    expect(listOf(undefined)).toEqual([]);
  });

  it('parse ARNs and recognise AWS-managed policies', () => {
    expect(parseArn('arn:aws:iam::123456789012:user/path/alice')).toEqual({
      partition: 'aws',
      service: 'iam',
      region: '',
      account: '123456789012',
      resource: 'user/path/alice',
    });
    expect(parseArn('arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/x-AbCdEf')?.resource).toBe('secret:prod/x-AbCdEf');
    expect(parseArn('*')).toBeNull();
    expect(isAwsManagedPolicyArn('arn:aws:iam::aws:policy/AdministratorAccess')).toBe(true);
    expect(isAwsManagedPolicyArn('arn:aws:iam::123456789012:policy/AdministratorAccess')).toBe(false);
  });
});
