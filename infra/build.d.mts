// Types for infra/build.mjs (a plain Node script, imported by infra/build.test.ts).
export interface BuiltFunction {
  zip: string;
  key: string;
  parameter: string;
  sha256: string;
  codeSha256: string;
  bytes: number;
}
export interface Manifest {
  functions: Record<'api' | 'worker' | 'notifier', BuiltFunction>;
  template: { file: string; key: string; sha256: string; bytes: number };
}
export declare const FUNCTIONS: { name: 'api' | 'worker' | 'notifier'; parameter: string }[];
export declare function createZip(files: Record<string, Buffer>): Buffer;
export declare function buildAll(options?: { out?: string; bucket?: string; functions?: string }): Promise<Manifest>;
