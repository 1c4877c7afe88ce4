import 'server-only';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseParameterFile, type TemplateModel } from '@/lib/deployments/template-model';
import { parseTemplate } from '@/lib/deployments/template-parse';
import { AppError } from '@/lib/errors';
import type { EnvironmentSlug } from '@/lib/environments';
import type { TemplateSource } from '@/lib/deployments/ports';

/** Where the serverless stack's template and parameter files are (the repository's infra/, next to the running server). */
export const INFRA_DIR = path.join(process.cwd(), 'infra');

let cached: { mtimeMs: number; size: number; text: string; model: TemplateModel } | undefined;

/**
 * infra/template.yaml and infra/parameters/<env>.json, read from disk; the parsed template is kept
 * until the file changes. A template that does not parse is a server-side problem (503) that names
 * the file, not a bad request.
 */
export function createFileTemplateSource(dir = INFRA_DIR): TemplateSource {
  return {
    async template() {
      const file = path.join(dir, 'template.yaml');
      const info = await stat(file).catch(() => null);
      if (!info) throw new AppError('UNAVAILABLE', `The stack's template is missing: ${file}.`);
      if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size && dir === INFRA_DIR) return cached;
      const text = await readFile(file, 'utf8');
      let model: TemplateModel;
      try {
        model = parseTemplate(text);
      } catch (e) {
        throw new AppError('UNAVAILABLE', `infra/template.yaml cannot be read: ${e instanceof Error ? e.message : String(e)}`);
      }
      const loaded = { mtimeMs: info.mtimeMs, size: info.size, text, model };
      if (dir === INFRA_DIR) cached = loaded;
      return loaded;
    },
    async parameterFile(env: EnvironmentSlug) {
      const file = path.join(dir, 'parameters', `${env}.json`);
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text === null) throw new AppError('UNAVAILABLE', `The parameter file of ${env} is missing: infra/parameters/${env}.json.`);
      try {
        return parseParameterFile(text);
      } catch (e) {
        throw new AppError('UNAVAILABLE', `infra/parameters/${env}.json cannot be read: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}
