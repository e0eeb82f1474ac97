// Catalog entries for models the tests make up: each file's size and SHA-256 computed from the
// bytes the test serves or imports, as the real catalog pins them.
import { createHash } from 'node:crypto';
import type { CatalogFile, CatalogModel } from '../../src/core/models/catalog-types.ts';

export const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A catalog file for `body`, as it is named in its repository. */
export function catalogFile(role: CatalogFile['role'], name: string, body: Buffer): CatalogFile {
  return { role, name, bytes: body.length, sha256: sha256(body) };
}

/** A SenseVoice-kind model `test-voice` (repository test/voice at r1) made of `files`. */
export function testCatalogModel(
  files: CatalogFile[],
  overrides: Partial<CatalogModel> = {},
): CatalogModel {
  return {
    id: 'test-voice',
    kind: 'sense-voice',
    title: { en: 'Test voice', 'zh-CN': '测试' },
    languages: ['zh', 'en'],
    license: 'MIT',
    homepage: 'https://example.invalid/test-voice',
    huggingFace: { repo: 'test/voice', revision: 'r1' },
    files,
    ...overrides,
  };
}
